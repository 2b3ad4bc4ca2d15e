// `npm run types`: module hooks typed from the manifests. The committed files must be current, and a field
// renamed in a manifest must fail `tsc` in the hook that still uses the old name (a copy of crm here).
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;
const types = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'core/src/platform/cli/types.ts'), ...args], { cwd, encoding: 'utf8' });
const tsc = (cwd: string) => spawnSync(join(repo, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd, encoding: 'utf8' });

t.test('the committed models.generated.ts of every module and manifests/module.schema.json are up to date', async (t) => {
  const check = types(repo, '--check');
  t.equal(check.status, 0, check.stdout + check.stderr);
});

t.test('a field renamed in a manifest: the check says which file is stale; regenerated, tsc fails in the hook', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'atrium-test-types-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  cpSync(join(repo, 'manifests'), join(root, 'manifests'), { recursive: true });
  for (const module of ['contacts', 'crm'])
    cpSync(join(repo, 'modules', module), join(root, 'modules', module), { recursive: true, filter: (path) => !path.includes('/test') });
  writeFileSync(join(root, 'platform.config.ts'), "export default { modules: ['contacts', 'crm'] };\n");
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repo, 'tsconfig.json'),
      compilerOptions: { rootDir: '/' },
      include: ['modules/*/server.ts'],
      exclude: [],
    }),
  );

  t.equal(types(root, '--check').status, 0, 'the copies are current');
  const before = tsc(root);
  t.equal(before.status, 0, `the hooks type-check as shipped: ${before.stdout}`);

  const manifest = join(root, 'modules/crm/manifest.json');
  writeFileSync(manifest, readFileSync(manifest, 'utf8').replaceAll('"is_won"', '"won"'));
  const stale = types(root, '--check');
  t.equal(stale.status, 1);
  t.match(stale.stderr, 'out of date (run npm run types): modules/crm/models.generated.ts');

  t.equal(types(root).status, 0);
  t.match(readFileSync(join(root, 'modules/crm/models.generated.ts'), 'utf8'), /\bwon: boolean \| null;/);
  const after = tsc(root);
  t.not(after.status, 0, 'tsc fails');
  t.match(after.stdout, /modules\/crm\/server\.ts\(\d+,\d+\): error TS\d+: Property 'is_won' does not exist/);
});

t.test('manifests/module.schema.json is a copy of the schema the core ships: the check names it when it differs', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'atrium-test-schema-'));
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  mkdirSync(join(root, 'modules'));
  writeFileSync(join(root, 'platform.config.ts'), 'export default { modules: [] };\n');
  const stale = types(root, '--check');
  t.equal(stale.status, 1, 'a project without the copy is out of date');
  t.match(stale.stderr, 'out of date (run npm run types): manifests/module.schema.json');
  t.equal(types(root).status, 0);
  t.equal(
    readFileSync(join(root, 'manifests/module.schema.json'), 'utf8'),
    readFileSync(join(repo, 'core/schema/module.schema.json'), 'utf8'),
  );
  writeFileSync(join(root, 'manifests/module.schema.json'), '{}\n');
  t.equal(types(root, '--check').status, 1, 'an edited copy is out of date');
});
