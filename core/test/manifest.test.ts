import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadModules } from '../src/kernel/manifest/load-modules.ts';
import { Registry } from '../src/kernel/registry/registry.ts';
import { StartupError } from '../src/kernel/errors.ts';
import { FIXTURE_MODULES } from './helpers.ts';

/** Writes modules (name → manifest, optional server.ts) into a fresh folder. */
function modulesDir(modules: Record<string, { manifest: unknown; server?: string }>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-manifests-'));
  for (const [name, { manifest, server }] of Object.entries(modules)) {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
    if (server) writeFileSync(join(dir, name, 'server.ts'), server);
  }
  return dir;
}

async function problems(modules: Record<string, { manifest: unknown; server?: string }>): Promise<string[]> {
  const dir = modulesDir(modules);
  try {
    new Registry(await loadModules(Object.keys(modules), dir));
  } catch (error) {
    if (error instanceof StartupError) return error.problems;
    throw error;
  }
  return [];
}

const base = (extra: object = {}) => ({ name: 'crm', label: 'CRM', version: '1.0.0', ...extra });
const lead = (fields: object) => ({
  models: { stage: { fields: { name: { type: 'string' } } }, lead: { fields: { name: { type: 'string' }, ...fields } } },
});

t.test('the fixture modules load', async (t) => {
  const registry = new Registry(await loadModules(['sales', 'dir'], FIXTURE_MODULES));
  t.same([...registry.modules.keys()], ['dir', 'sales'], 'in dependency order');
  t.ok(registry.model('sales.deal')?.fields.partner);
});

t.test('one clear message per problem: module, JSON path, reason', async (t) => {
  t.same(await problems({ crm: { manifest: base(lead({ stage: { type: 'many2one', model: 'crm.stag' } })) } }), [
    'crm: /models/lead/fields/stage/model: unknown model "crm.stag"',
  ]);
  t.same(await problems({ crm: { manifest: base({ ...lead({}), bogus: 1, version: 'one' }) } }), [
    'crm: /: unknown property "bogus"',
    'crm: /version: must match pattern "^\\d+\\.\\d+\\.\\d+$"',
  ]);
  t.same(await problems({ crm: { manifest: base(lead({ price: { type: 'decimal' } })) } }), [
    'crm: /models/lead/fields/price/type: unknown field type "decimal": must be one of "string", "text", "integer", "number", "money", "boolean", "date", "datetime", "selection", "many2one", "one2many", "many2many", "email", "phone", "url", "json", or one that crm or a module it depends on registers (defineModule({ fieldTypes }))',
  ]);
  t.same(await problems({ crm: { manifest: '{ "name": ' } }), [`crm: manifest.json: not valid JSON (Unexpected end of JSON input)`]);
  t.same(await problems({ crm: { manifest: { ...base(), name: 'sales' } } }), ['crm: /name: is "sales" but the module folder is "crm"']);
});

t.test('a trigram index is declared on a text field only', async (t) => {
  t.same(await problems({ crm: { manifest: base(lead({ title: { type: 'string', index: 'trigram' } })) } }), []);
  t.same(await problems({ crm: { manifest: base(lead({ amount: { type: 'money', index: 'trigram' } })) } }), [
    'crm: /models/lead/fields/amount/index: "trigram" indexes need a text field (string, text, email, phone, url); "amount" is a money field',
  ]);
  t.same(await problems({ crm: { manifest: base(lead({ stage: { type: 'many2one', model: 'crm.stage', index: 'trigram' } })) } }), [
    'crm: /models/lead/fields/stage/index: "trigram" indexes need a text field (string, text, email, phone, url); "stage" is a many2one field',
  ]);
  const [unknown] = await problems({ crm: { manifest: base(lead({ title: { type: 'string', index: 'fulltext' } })) } });
  t.match(unknown, /^crm: \/models\/lead\/fields\/title\/index: /);
});

t.test('ondelete: many2one restrict or cascade, many2many restrict or remove, and never remove on a line', async (t) => {
  t.same(await problems({ crm: { manifest: base(lead({ tags: { type: 'many2many', model: 'crm.stage', ondelete: 'cascade' } })) } }), [
    'crm: /models/lead/fields/tags/ondelete: must be one of "restrict", "remove"',
  ]);
  t.same(await problems({ crm: { manifest: base(lead({ stage: { type: 'many2one', model: 'crm.stage', ondelete: 'remove' } })) } }), [
    'crm: /models/lead/fields/stage/ondelete: must be one of "restrict", "cascade"',
  ]);
  const line = base({
    models: {
      stage: { fields: { name: { type: 'string' }, leads: { type: 'one2many', model: 'crm.lead', inverse: 'stage' } } },
      lead: {
        fields: {
          name: { type: 'string' },
          stage: { type: 'many2one', model: 'crm.stage' },
          tags: { type: 'many2many', model: 'crm.stage', ondelete: 'remove' },
        },
      },
    },
  });
  t.same(await problems({ crm: { manifest: line } }), [
    'crm: /models/lead/fields/tags/ondelete: crm.lead records are lines, changed only with their parent: "remove" cannot update them on their own (use "restrict")',
  ]);
  t.same(
    await problems({ crm: { manifest: base(lead({ tags: { type: 'many2many', model: 'crm.stage', ondelete: 'remove' } })) } }),
    [],
    'remove on a record of its own',
  );
});

t.test('a module registers field types for itself and the modules depending on it; others get a clear start-up error', async (t) => {
  const server = (types: object[]) => `export default { fieldTypes: ${JSON.stringify(types)} };`;
  const rating = { name: 'rating', base: 'integer', defaults: { min: 1, max: 5 } };
  const shop = (fields: object, depends?: string[]) => ({
    name: 'shop',
    label: 'Shop',
    version: '1.0.0',
    ...(depends ? { depends } : {}),
    models: { item: { fields } },
  });
  t.same(
    await problems({ crm: { manifest: base(lead({ stars: { type: 'rating' } })), server: server([rating]) } }),
    [],
    'used by the module itself',
  );
  t.same(
    await problems({
      crm: { manifest: base(), server: server([rating]) },
      shop: { manifest: shop({ stars: { type: 'rating' } }, ['crm']) },
    }),
    [],
    'and by one depending on it',
  );
  const notDepending = await problems({
    crm: { manifest: base(), server: server([rating]) },
    shop: { manifest: shop({ stars: { type: 'rating', max: 3 } }) },
  });
  t.equal(notDepending.length, 1);
  t.match(
    notDepending[0],
    /^shop: \/models\/item\/fields\/stars\/type: unknown field type "rating": must be one of "string", .*"json", or one that shop or a module it depends on registers/,
  );
  t.same(
    await problems({
      crm: {
        manifest: base(),
        server: server([
          { name: 'money', base: 'decimal' },
          { name: 'stars', base: 'float' },
        ]),
      },
    }),
    [
      'crm: server.ts: fieldTypes/0/name: "money" is already a field type of the core',
      'crm: server.ts: fieldTypes/1/base: "float" is not one of text, integer, number, decimal, boolean, date, datetime',
    ],
  );
  t.same(
    await problems({
      crm: { manifest: base(), server: server([rating]) },
      shop: { manifest: shop({ name: { type: 'string' } }), server: server([rating]) },
    }),
    ['shop: server.ts: fieldTypes/0/name: "rating" is already a field type of crm'],
    'a name another module holds',
  );
  t.same(
    await problems({ crm: { manifest: base(lead({ stars: { type: 'rating', options: ['a'] } })), server: server([rating]) } }),
    ['crm: /models/lead/fields/stars: unknown property "options"'],
    "a module's type takes the properties of a simple field, not a selection's or a relation's",
  );
});

t.test("a relation's domain and fill, and a model's readonly_when, name fields that exist", async (t) => {
  const stage = { type: 'many2one', model: 'crm.stage' };
  const good = lead({ owner_stage: stage, stage: { ...stage, domain: { name: '$record.name' }, fill: { name: 'name' } } });
  t.same(
    await problems({
      crm: {
        manifest: base({
          ...good,
          models: { ...good.models, lead: { ...good.models.lead, readonly_when: [{ when: { name: 'done' }, message: 'Done' }] } },
        }),
      },
    }),
    [],
    'a valid declaration',
  );
  const bad = lead({ stage: { ...stage, domain: { nope: '$record.ghost' }, fill: { missing: 'name', name: 'gone' } } });
  t.same(
    (
      await problems({
        crm: {
          manifest: base({
            ...bad,
            models: { ...bad.models, lead: { ...bad.models.lead, readonly_when: [{ when: { state: 'x' }, message: 'Locked' }] } },
          }),
        },
      })
    ).sort(),
    [
      'crm: /models/lead/fields/stage/domain: filter.nope: unknown field "nope"',
      'crm: /models/lead/fields/stage/domain: unknown field "ghost" of crm.lead',
      'crm: /models/lead/fields/stage/fill/missing: unknown field "missing" of crm.lead',
      'crm: /models/lead/fields/stage/fill/name: unknown field "gone" of crm.stage',
      'crm: /models/lead/readonly_when/0/when: when.state: unknown field "state"',
    ],
  );
  t.match(
    await problems({ crm: { manifest: base(lead({ tags: { type: 'many2many', model: 'crm.stage', fill: { name: 'name' } } })) } }),
    ['crm: /models/lead/fields/tags: unknown property "fill"'],
    'fill is for a many2one only',
  );
});

t.test("a view's widgets name fields of its model", async (t) => {
  const view = { type: 'list', model: 'crm.lead', columns: ['name'], widgets: { name: 'textarea', nope: 'priority' } };
  t.same(await problems({ crm: { manifest: base({ ...lead({}), views: { lead_list: view } }) } }), [
    'crm: /views/lead_list/widgets/1: unknown field "nope" of crm.lead',
  ]);
});

t.test('dependencies must exist and must not form a cycle', async (t) => {
  t.same(await problems({ crm: { manifest: base({ depends: ['contactz'] }) } }), ['crm: /depends/0: unknown module "contactz"']);
  const cycle = await problems({
    crm: { manifest: base({ depends: ['sales'] }) },
    sales: { manifest: { name: 'sales', label: 'Sales', version: '1.0.0', depends: ['crm'] } },
  });
  t.same(cycle, ['crm: /depends: dependency cycle crm → sales → crm']);
  const outOfScope = await problems({
    crm: { manifest: base(lead({ order: { type: 'many2one', model: 'sales.order' } })) },
    sales: { manifest: { name: 'sales', label: 'Sales', version: '1.0.0', models: { order: { fields: { name: { type: 'string' } } } } } },
  });
  t.same(outOfScope, ['crm: /models/lead/fields/order/model: "sales.order" belongs to module "sales", which crm does not depend on']);
});

t.test('views, permissions, menus and actions are checked against the models', async (t) => {
  const found = await problems({
    crm: {
      manifest: base({
        ...lead({ amount: { type: 'money' }, stage: { type: 'many2one', model: 'crm.stage' } }),
        views: {
          board: { type: 'kanban', model: 'crm.lead', group_by: 'amount', sum: 'name', card: ['name', 'nope'] },
          form: { type: 'form', model: 'crm.lead', layout: [['name'], { title: 'More', rows: [['missing']] }] },
        },
        permissions: {
          user: {
            'crm.lead': { read: true, update: { owner: '$user' }, fly: true, fields: { read: ['ghost'] } },
            'crm.nope': { read: true },
          },
        },
        menus: [{ label: 'Board', view: 'bored' }],
        actions: { 'crm.lead': { mark_won: { label: 'Won' } } },
      }),
    },
  });
  t.same(found.sort(), [
    'crm: /actions/crm.lead/mark_won: no handler for this action in server.ts',
    'crm: /menus: unknown view "crm.bored"',
    'crm: /permissions/user/crm.lead/fields/read/0: unknown field "ghost" of crm.lead',
    'crm: /permissions/user/crm.lead/fly: unknown action "fly" of crm.lead',
    'crm: /permissions/user/crm.lead/update: owner: unknown field "owner"',
    'crm: /permissions/user/crm.nope: unknown model "crm.nope"',
    'crm: /views/board/card/1: unknown field "nope" of crm.lead',
    'crm: /views/board/group_by: "amount" is a money field; group by a many2one or selection field',
    'crm: /views/board/sum: "name" is a string field; sums need a number or money field',
    'crm: /views/form/layout/1/0: unknown field "missing" of crm.lead',
  ]);
});

t.test('a bad manifest stops `npm start` with the message', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'atrium-start-'));
  const dir = join(root, 'modules');
  mkdirSync(join(dir, 'crm'), { recursive: true });
  writeFileSync(join(dir, 'crm', 'manifest.json'), JSON.stringify(base(lead({ stage: { type: 'many2one', model: 'crm.stag' } }))));
  writeFileSync(join(root, 'platform.config.ts'), `export default { modules: ['crm'], demo: false };`);
  const main = new URL('../src/platform/main.ts', import.meta.url).pathname;
  const run = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, PORT: '0' },
    timeout: 60_000,
  });
  t.equal(run.status, 1);
  t.match(run.stderr, 'crm: /models/lead/fields/stage/model: unknown model "crm.stag"');
  t.notMatch(run.stderr, /at .*\.ts:\d+/, 'no stack trace, just the problems');
});
