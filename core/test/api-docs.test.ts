import t from 'tap';
import { call, startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const get = (url: string, headers: Record<string, string> = {}) => app.app.inject({ method: 'GET', url, headers });

t.test('/api/openapi.json is the document, with the record API of every model', async (t) => {
  const doc = await get('/api/openapi.json');
  t.equal(doc.statusCode, 200);
  t.match(doc.headers['content-type'], /application\/json/);
  t.ok(doc.json().paths['/api/records/sales.deal/{id}'].patch);
  t.ok(doc.json().paths['/api/auth/login'].post);
  const { paths } = doc.json();
  t.same(paths['/api/records/sales.deal/export'].get.parameters[0].schema.enum, ['csv', 'xlsx'], 'the export, by format');
  t.ok(paths['/api/records/sales.deal/import'].post.requestBody.content['multipart/form-data'], 'the import, as a file');
  t.ok(paths['/api/records/sales.deal/import'].post.responses[200].content['application/json'].schema.properties.errors);
});

t.test('/api/docs is a readable reference for a browser, the document for a client', async (t) => {
  const page = await get('/api/docs', { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' });
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /text\/html/);
  t.match(page.body, /<div id="swagger-ui">/);
  const scripts = [...page.body.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]);
  t.ok(scripts.length >= 2, 'the page loads its scripts');
  for (const src of scripts) {
    t.ok(src.startsWith('/api/docs/static/'), `${src} is served by this server, not a CDN`);
    t.equal((await get(src)).statusCode, 200, `${src} is there`);
  }
  // The UI reads ./json: the whole document, not only the fixed routes swagger-ui knows.
  t.ok((await get('/api/docs/json')).json().paths['/api/records/sales.deal'], 'the reference shows the record API');
  const asJson = await get('/api/docs', { accept: 'application/json' });
  t.match(asJson.headers['content-type'], /application\/json/);
  t.same(asJson.json(), (await get('/api/openapi.json')).json(), 'a client asking for JSON still gets the document');
});

t.test("with a token, the document holds only the tenant's enabled modules", async (t) => {
  const admin = await app.signup('Docs Token Co');
  await call(admin, 'PUT', '/api/admin/modules/sales', { enabled: false });
  const mine = (await call(admin, 'GET', '/api/openapi.json')).body;
  t.notOk(mine.paths['/api/records/sales.deal']);
  t.ok(mine.paths['/api/records/dir.company']);
});
