// docs/modules.md's "Your first module, step by step", followed as written in a scratch project: every command of
// a block marked `<!-- walkthrough: sh -->` is run, every block marked `<!-- walkthrough: <path> -->` is that file.
// Then the module it builds must boot and do what the guide says, and a misspelt field must fail the typecheck.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pdfText, startTestApp } from '@atrium/core/testing';

const repo = new URL('..', import.meta.url).pathname;
const guide = readFileSync(join(repo, 'docs/modules.md'), 'utf8');
type Step = { file: string; content: string } | { command: string };
/** The steps in order: a file to write (its path and content) or a command to run (comments and blank lines left out). */
const steps = [...guide.matchAll(/<!-- walkthrough: (\S+) -->\n```\w*\n([\s\S]*?)\n```/g)].flatMap(([, target, body]): Step[] =>
  target === 'sh'
    ? body
        .split('\n')
        .map((line) => ({ command: line.replace(/#.*/, '').trim() }))
        .filter((step) => step.command)
    : [{ file: target, content: `${body}\n` }],
);
const commands = steps.flatMap((step) => ('command' in step ? [step.command] : []));
const files = steps.flatMap((step) => ('file' in step ? [step.file] : []));
/** Not run here: the scratch project uses the repository's node_modules (npm install would rewrite them), and start serves forever. */
const notRun = new Set(['npm install', 'npm start']);

/**
 * A project as a module author has one: contacts and crm (the walkthrough extends crm), a platform.config.ts,
 * the repository's node_modules, and npm scripts doing what the repository's do, for this folder.
 */
const root = mkdtempSync(join(tmpdir(), 'atrium-walkthrough-'));
t.teardown(() => rmSync(root, { recursive: true, force: true }));
symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
for (const module of ['contacts', 'crm'])
  cpSync(join(repo, 'modules', module), join(root, 'modules', module), { recursive: true, filter: (path) => !path.includes('/test') });
writeFileSync(join(root, 'platform.config.ts'), "export default {\n  modules: ['contacts', 'crm'],\n  demo: false,\n};\n");
const cli = (file: string) => `node --import tsx ${join(repo, file)}`;
writeFileSync(
  join(root, 'package.json'),
  JSON.stringify({
    private: true,
    type: 'module',
    scripts: {
      'new-module': cli('scripts/new-module.ts'),
      types: cli('core/src/platform/cli/types.ts'),
      typecheck: `${join(repo, 'node_modules/.bin/tsc')} -p tsconfig.json --noEmit`,
      test: 'node --import tsx', // one file, with tap, on the database the suite's pass uses (ATRIUM_TEST_DB)
    },
  }),
);
writeFileSync(
  join(root, 'tsconfig.json'),
  JSON.stringify({
    extends: join(repo, 'tsconfig.json'),
    compilerOptions: { rootDir: '/', incremental: true, tsBuildInfoFile: join(root, 'tsconfig.tsbuildinfo') },
    include: ['modules/*/server.ts', 'modules/*/test'],
    exclude: [],
  }),
);
const sh = (command: string) => spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', timeout: 120_000 });

t.test('the walkthrough has its steps marked: scaffold, manifest, hook, types, typecheck, test', async (t) => {
  t.same(files, ['modules/helpdesk/manifest.json', 'modules/helpdesk/server.ts', 'modules/helpdesk/test/helpdesk.test.ts']);
  for (const command of [
    'npm run new-module -- helpdesk',
    'npm run types',
    'npm run typecheck',
    'npm test -- modules/helpdesk/test/helpdesk.test.ts',
  ])
    t.ok(commands.includes(command), command);
});

t.test('every step works as written', async (t) => {
  for (const step of steps) {
    if ('file' in step) writeFileSync(join(root, step.file), step.content);
    else if (!notRun.has(step.command)) {
      const run = sh(step.command);
      t.equal(run.status, 0, step.command, { output: `${run.stdout}\n${run.stderr}` });
      if (step.command.startsWith('npm test')) t.match(run.stdout, /^ok 1 - /m, 'the module test passes');
    }
  }
  t.match(
    readFileSync(join(root, 'modules/helpdesk/models.generated.ts'), 'utf8'),
    /time_spent\?: number \| null;/,
    'the types know the hours field',
  );
});

t.test('a field misspelt in the hook fails npm run typecheck', async (t) => {
  const misspelt = 'lead?.custommer';
  t.match(guide, `\`${misspelt}\``, 'as the guide says');
  const server = join(root, 'modules/helpdesk/server.ts');
  const written = readFileSync(server, 'utf8');
  t.teardown(() => writeFileSync(server, written));
  writeFileSync(server, written.replace('lead?.customer', misspelt));
  const run = sh('npm run typecheck');
  t.not(run.status, 0);
  t.match(run.stdout, /modules\/helpdesk\/server\.ts\(\d+,\d+\): error TS\d+: Property 'custommer' does not exist/);
});

t.test('the module boots: tickets are created over HTTP, the hook ran, crm shows them, the report prints', async (t) => {
  const app = await startTestApp({ modules: ['contacts', 'crm', 'helpdesk'], modulesDir: join(root, 'modules') });
  t.teardown(() => app.close());
  const admin = await app.signup();
  const post = async (url: string, payload: object) => {
    const response = await admin.request({ method: 'POST', url, payload });
    t.equal(response.statusCode, 201, `${url} ${response.body}`);
    return response.json();
  };
  const customer = await post('/api/records/contacts.partner', { name: 'Walkthrough Ltd', is_company: true });
  const lead = await post('/api/records/crm.lead', { name: 'Support contract', customer: customer.id });
  const ticket = await post('/api/records/helpdesk.ticket', { name: 'Cannot sign in', lead: lead.id, time_spent: 2 });
  t.match(ticket, { customer: { id: customer.id }, time_spent: 2 }, "the hook copied the opportunity's customer");
  const meta = (await admin.request({ method: 'GET', url: '/api/meta' })).json();
  t.match(meta.models['crm.lead'].fields.tickets, { type: 'one2many', model: 'helpdesk.ticket' });
  t.ok(meta.views['crm.lead_form'].layout.flat().includes('tickets'), "crm's lead form has the tickets");
  const printed = await admin.request({ method: 'GET', url: `/api/records/helpdesk.ticket/${ticket.id}/reports/ticket` });
  t.equal(printed.statusCode, 200);
  t.match(pdfText(printed.rawPayload), 'Cannot sign in');
});
