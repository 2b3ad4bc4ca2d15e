import t from 'tap';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModules } from '../src/kernel/manifest/load-modules.ts';
import { Registry } from '../src/kernel/registry/registry.ts';
import { StartupError } from '../src/kernel/errors.ts';

/** The start-up problems of one module "shop" with an order, its lines and a partner, and these reports on the order. */
async function problems(reports: unknown): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-reports-'));
  mkdirSync(join(dir, 'shop'));
  writeFileSync(
    join(dir, 'shop', 'manifest.json'),
    JSON.stringify({
      name: 'shop',
      label: 'Shop',
      version: '1.0.0',
      models: {
        partner: { fields: { name: { type: 'string' }, city: { type: 'string' } } },
        line: { fields: { order: { type: 'many2one', model: 'shop.order', required: true }, label: { type: 'string' } } },
        order: {
          fields: {
            name: { type: 'string' },
            partner: { type: 'many2one', model: 'shop.partner' },
            lines: { type: 'one2many', model: 'shop.line', inverse: 'order' },
          },
          reports,
        },
      },
    }),
  );
  try {
    new Registry(await loadModules(['shop'], dir));
  } catch (error) {
    if (error instanceof StartupError) return error.problems;
    throw error;
  }
  return [];
}

const report = (blocks: unknown[], title?: unknown) => ({ order: { template: { ...(title ? { title } : {}), blocks } } });

t.test('a report template over the model and its relations loads', async (t) => {
  t.same(
    await problems(
      report(
        [
          { type: 'company' },
          { type: 'address', field: 'partner', lines: [['city']] },
          { type: 'table', field: 'lines', columns: ['label'] },
          { type: 'fields', fields: ['name'] },
        ],
        [{ when: { name: 'x' }, text: 'Order' }],
      ),
    ),
    [],
  );
});

t.test('its fields, relations and title conditions are checked at start-up, each problem at its path', async (t) => {
  t.same(await problems(report([{ type: 'fields', fields: ['nope'] }])), [
    'shop: /models/order/reports/order/template/blocks/0/fields/0: unknown field "nope" of shop.order',
  ]);
  t.same(await problems(report([{ type: 'address', field: 'lines', lines: [] }])), [
    'shop: /models/order/reports/order/template/blocks/0/field: "lines" is not a many2one field of shop.order',
  ]);
  t.same(await problems(report([{ type: 'table', field: 'partner', columns: ['name'] }])), [
    'shop: /models/order/reports/order/template/blocks/0/field: "partner" is not a one2many field of shop.order',
  ]);
  t.same(await problems(report([{ type: 'table', field: 'lines', columns: ['price'] }])), [
    'shop: /models/order/reports/order/template/blocks/0/columns/0: unknown field "price" of shop.line',
  ]);
  t.match(
    (await problems(report([{ type: 'company' }], [{ when: { nope: 1 }, text: 'X' }])))[0],
    /^shop: \/models\/order\/reports\/order\/template\/title\/0\/when: .*nope/,
  );
  t.ok((await problems(report([{ type: 'chart' }]))).length > 0, 'an unknown block type is refused by the schema');
});
