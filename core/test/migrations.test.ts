import t from 'tap';
import { spawnSync } from 'node:child_process';
import { sql } from '../src/store/sql.ts';
import { notesProject } from './notes-project.ts';

const project = await notesProject('migration-test-secret-migration-test');
const { root, env } = project;
t.teardown(() => project.database.drop());

function writeManifest(fields: object, models: object = {}): void {
  project.writeManifest({ note: { fields: { title: { type: 'string', required: true }, ...fields } }, ...models });
}

async function start() {
  return { app: await project.start() };
}

/** `npm run migrate` in that project. */
function migrateCommand(): { status: number | null; stdout: string } {
  const cli = new URL('../src/platform/cli/migrate.ts', import.meta.url).pathname;
  return spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), cli], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
}

t.test('adding a field to a manifest and restarting migrates the database without losing rows', async (t) => {
  writeManifest({});
  const first = await start();
  const signup = await first.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { company: 'Migrations', name: 'A', email: 'a@example.com', password: 'long enough' },
  });
  const auth = { authorization: `Bearer ${signup.json().token}` };
  const note = await first.app.inject({ method: 'POST', url: '/api/records/notes.note', headers: auth, payload: { title: 'kept' } });
  t.equal(note.statusCode, 201);
  t.equal(
    (await first.app.inject({ method: 'POST', url: '/api/records/notes.note', headers: auth, payload: { title: 'x', body: 'y' } }))
      .statusCode,
    400,
    'no body field yet',
  );
  await first.app.close();

  writeManifest({ body: { type: 'text' }, done: { type: 'boolean' } }, { tag: { fields: { name: { type: 'string' } } } });
  const migrated = migrateCommand();
  t.equal(migrated.status, 0);
  t.match(migrated.stdout, /^migration modules\/\S+ notes_note, notes_tag applied$/m, 'one line per migration');
  t.match(migrateCommand().stdout, 'the database is up to date');
  const second = await start();
  t.teardown(() => second.app.close());
  const kept = await second.app.inject({ method: 'GET', url: `/api/records/notes.note/${note.json().id}`, headers: auth });
  t.equal(kept.statusCode, 200);
  t.match(kept.json(), { title: 'kept', body: null, done: null });
  const patched = await second.app.inject({
    method: 'PATCH',
    url: `/api/records/notes.note/${note.json().id}`,
    headers: auth,
    payload: { body: 'now it has one' },
  });
  t.equal(patched.json().body, 'now it has one');
  const tag = await second.app.inject({ method: 'POST', url: '/api/records/notes.tag', headers: auth, payload: { name: 'new table' } });
  t.equal(tag.statusCode, 201, 'a new model gets its table, secured');
  const recorded = await second.app.platform.db.system<{ name: string; statements: string }>(
    sql`SELECT name, statements FROM core_migrations WHERE name LIKE 'modules/%' ORDER BY applied_at`,
  );
  t.equal(recorded.length, 2);
  t.match(recorded[1].statements, /alter table "notes_note" add column "body" text null/);
  t.match(recorded[1].statements, /CREATE POLICY tenant_isolation ON "notes_tag"/);
});

/** The indexes of notes_note by name. */
const indexesOf = async (app: Awaited<ReturnType<typeof start>>['app']) =>
  (
    await app.platform.db.system<{ indexname: string }>(
      sql`SELECT indexname FROM pg_indexes WHERE tablename = 'notes_note' ORDER BY indexname`,
    )
  ).map((i) => i.indexname);

t.test('a trigram index added to a manifest is built on the existing table; custom field and hand-made indexes stay', async (t) => {
  const before = await start();
  const { db } = before.app.platform;
  // As custom-field-index.ts names one (the MikroORM diff does not know it, and dropped it before).
  await db.system(sql`CREATE INDEX custom_0123456789abcdef0123456789abcdef_idx ON notes_note ((custom->>'x'))`);
  // As a DBA would add one for a report, outside the manifests.
  await db.system(sql`CREATE INDEX notes_note_report_idx ON notes_note (tenant_id, title, done)`);
  await before.app.close();

  writeManifest(
    { title: { type: 'string', required: true, index: 'trigram' }, body: { type: 'text' }, done: { type: 'boolean' } },
    { tag: { fields: { name: { type: 'string' } } } },
  );
  const migrated = migrateCommand();
  t.equal(migrated.status, 0, migrated.stdout);
  t.match(migrated.stdout, /^migration modules\/\S+ notes_note applied$/m);
  const after = await start();
  t.teardown(() => after.app.close());
  const indexes = await after.app.platform.db.system<{ indexname: string; indexdef: string }>(
    sql`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'notes_note' AND indexname IN ('notes_note_title_trgm_idx', 'custom_0123456789abcdef0123456789abcdef_idx') ORDER BY indexname`,
  );
  t.same(
    indexes.map((i) => i.indexname),
    ['custom_0123456789abcdef0123456789abcdef_idx', 'notes_note_title_trgm_idx'],
  );
  t.ok((await indexesOf(after.app)).includes('notes_note_report_idx'), 'the hand-made index stays');
  t.match(indexes[1].indexdef, /USING gin \(title gin_trgm_ops\)/);
  const recorded = await after.app.platform.db.system<{ statements: string }>(
    sql`SELECT statements FROM core_migrations WHERE name LIKE 'modules/%' ORDER BY applied_at DESC LIMIT 1`,
  );
  t.notMatch(recorded[0].statements, /drop index/);
});

t.test('an index a manifest no longer declares is dropped; one made by hand is not', async (t) => {
  const before = await start();
  // By hand, on the columns a manifest is about to declare an index on: MikroORM renames it rather than build a second.
  await before.app.platform.db.system(sql`CREATE INDEX notes_note_done_by_hand ON notes_note (tenant_id, done)`);
  await before.app.close();
  const fields = { body: { type: 'text' }, tag: { type: 'string' } };
  writeManifest({ ...fields, done: { type: 'boolean', index: true } }, { tag: { fields: { name: { type: 'string' } } } });
  t.equal(migrateCommand().status, 0);
  const declared = await start();
  const built = await indexesOf(declared.app);
  t.ok(built.includes('notes_note_done_idx') && !built.includes('notes_note_done_by_hand'), 'declared: the same columns taken over');
  await declared.app.close();

  writeManifest({ ...fields, done: { type: 'boolean' } }, { tag: { fields: { name: { type: 'string' } } } });
  const migrated = migrateCommand();
  t.equal(migrated.status, 0, migrated.stdout);
  const after = await start();
  t.teardown(() => after.app.close());
  const indexes = await indexesOf(after.app);
  t.notOk(indexes.includes('notes_note_done_idx'), 'no longer declared: dropped');
  t.ok(indexes.includes('notes_note_report_idx'), 'made by hand: kept');
  t.ok(indexes.includes('custom_0123456789abcdef0123456789abcdef_idx'), "a tenant's custom field index: kept");
});
