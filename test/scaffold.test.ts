import t from 'tap';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const tsx = import.meta.resolve('tsx');

/** A project folder with its own platform.config.ts and the repository's node_modules. */
const root = mkdtempSync(join(tmpdir(), 'atrium-scaffold-'));
symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
writeFileSync(join(root, 'platform.config.ts'), `export default {\n  modules: ['contacts'],\n  demo: false,\n};\n`);
writeFileSync(
  join(root, 'package.json'),
  JSON.stringify({ private: true, type: 'module', scripts: { 'new-module': `node --import tsx ${join(repo, 'scripts/new-module.ts')}` } }),
);

/** `npm run new-module -- <args>` in that project, exactly as docs/modules.md says. */
const scaffold = (...args: string[]) => spawnSync('npm', ['run', '--silent', 'new-module', '--', ...args], { cwd: root, encoding: 'utf8' });

t.test('npm run new-module scaffolds a module whose own test passes at once', async (t) => {
  const created = scaffold('helpdesk');
  t.equal(created.status, 0, created.stderr);
  for (const file of ['manifest.json', 'server.ts', 'data/items.json', 'test/helpdesk.test.ts', 'package.json'])
    t.ok(existsSync(join(root, 'modules/helpdesk', file)), file);
  t.match(readFileSync(join(root, 'platform.config.ts'), 'utf8'), "modules: ['contacts', 'helpdesk']", 'registered in platform.config.ts');
  const manifest = JSON.parse(readFileSync(join(root, 'modules/helpdesk/manifest.json'), 'utf8'));
  t.equal(manifest.name, 'helpdesk');
  const test = spawnSync(process.execPath, ['--import', tsx, join(root, 'modules/helpdesk/test/helpdesk.test.ts')], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  t.equal(test.status, 0, `the generated test passes:\n${test.stdout}\n${test.stderr}`);
  t.match(test.stdout, /# pass\s+[1-9]|ok \d+ - items/);
  t.notMatch(test.stdout, /not ok/);
});

t.test('it refuses an existing module and a bad name', async (t) => {
  t.equal(scaffold('helpdesk').status, 1);
  for (const args of [['Help-Desk'], [], ['one', 'two'], ['--root', 'x']]) {
    const bad = scaffold(...args);
    t.equal(bad.status, 1, args.join(' '));
    t.match(bad.stderr, 'usage: npm run new-module');
  }
});
