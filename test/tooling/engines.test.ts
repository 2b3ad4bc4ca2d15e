import t from 'tap';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;
// semver (fastify's own dependency) is CommonJS without bundled types: only these two functions are used.
const semver = createRequire(import.meta.url)('semver') as {
  minVersion(range: string): { version: string } | null;
  satisfies(version: string, range: string): boolean;
};

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

t.test('every locked package runs on the oldest Node that package.json promises (no EBADENGINE on npm ci)', async (t) => {
  const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { engines: { node: string } };
  const oldest = semver.minVersion(root.engines.node)!.version;
  const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };
  const refused = Object.entries(lock.packages)
    .filter(([, pkg]) => pkg.engines && !Array.isArray(pkg.engines) && pkg.engines.node && !semver.satisfies(oldest, pkg.engines.node))
    .map(([path, pkg]) => `${path}@${pkg.version} wants node ${(pkg.engines as { node: string }).node}`);
  t.same(refused, [], `node ${oldest}`);
});

// content-disposition and cookie are pinned below their Node-22-only majors by `overrides` in package.json:
// the two packages that use them must still work with the older versions.
t.test('@fastify/static still names downloads, and inject still sends cookies, with the overridden versions', async (t) => {
  const app = Fastify();
  t.teardown(() => app.close());
  await app.register(fastifyStatic, { root: join(repo, 'manifests'), serve: false });
  app.get('/download', (_request, reply) => reply.download('module.schema.json', 'schéma du module.json'));
  app.get('/cookies', (request) => ({ cookie: request.headers.cookie }));
  const download = await app.inject({ method: 'GET', url: '/download' });
  t.equal(download.statusCode, 200);
  t.equal(
    download.headers['content-disposition'],
    `attachment; filename="sch?ma du module.json"; filename*=UTF-8''sch%C3%A9ma%20du%20module.json`,
  );
  const cookies = await app.inject({ method: 'GET', url: '/cookies', cookies: { session: 'a b', theme: 'dark' } });
  t.same(cookies.json(), { cookie: 'session=a%20b; theme=dark' });
});
