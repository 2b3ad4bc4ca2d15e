import t from 'tap';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('../..', import.meta.url).pathname;
const depcruise = join(repo, 'node_modules/.bin/depcruise');
const check = () =>
  spawnSync(depcruise, ['protocol/src', 'core/src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'], {
    cwd: repo,
    encoding: 'utf8',
  });

t.test('core/src keeps its layers over @atrium/protocol: no import points up, no cycle', async (t) => {
  const result = check();
  t.equal(result.status, 0, result.stdout + result.stderr);
  t.match(result.stdout, /no dependency violations found/);
});

t.test('the layer check fails on an import that points up, and on a cycle', async (t) => {
  const up = join(repo, 'core/src/kernel/layer-probe.ts');
  const cycleA = join(repo, 'core/src/store/cycle-probe-a.ts');
  const cycleB = join(repo, 'core/src/store/cycle-probe-b.ts');
  t.teardown(() => [up, cycleA, cycleB].forEach((file) => rmSync(file, { force: true })));
  writeFileSync(up, "import { buildApp } from '../platform/server.ts';\nexport const probe = buildApp;\n");
  writeFileSync(cycleA, "import { b } from './cycle-probe-b.ts';\nexport const a = (): unknown => b;\n");
  writeFileSync(cycleB, "import { a } from './cycle-probe-a.ts';\nexport const b = (): unknown => a;\n");
  const result = check();
  t.not(result.status, 0, 'the check fails');
  t.match(result.stdout, /kernel-imports-up: core\/src\/kernel\/layer-probe\.ts → core\/src\/platform\/server\.ts/);
  t.match(result.stdout, /no-cycles: core\/src\/store\/cycle-probe-a\.ts/);
});

t.test('@atrium/protocol, shared with the shell, imports nothing of the core', async (t) => {
  const probe = join(repo, 'protocol/src/layer-probe.ts');
  t.teardown(() => rmSync(probe, { force: true }));
  writeFileSync(probe, "import { SYSTEM_FIELDS } from '../../core/src/kernel/system-fields.ts';\nexport const probe = SYSTEM_FIELDS;\n");
  const result = check();
  t.not(result.status, 0, 'the check fails');
  t.match(result.stdout, /protocol-imports-nothing: protocol\/src\/layer-probe\.ts → core\/src\/kernel\/system-fields\.ts/);
});
