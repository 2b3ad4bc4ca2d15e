import t from 'tap';
import { startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup();
const other = await app.signup();

const create = async (who: typeof admin, model: string, payload: object) => {
  const response = await who.request({ method: 'POST', url: `/api/records/${model}`, payload });
  if (response.statusCode !== 201) throw new Error(`${model}: ${response.statusCode} ${response.body}`);
  return response.json();
};

const stage = await create(admin, 'sales.stage', { name: 'New' });
const red = await create(admin, 'dir.tag', { name: 'Red' });
const blue = await create(admin, 'dir.tag', { name: 'Blue' });
const foreignTag = await create(other, 'dir.tag', { name: 'Theirs' });

t.test("a line's many2many field is written with the line, on create and on update", async (t) => {
  const deal = await create(admin, 'sales.deal', { name: 'D', stage: stage.id, lines: [{ description: 'a', tags: [red.id, blue.id] }] });
  t.same(
    deal.lines[0].tags.map((x: { display: string }) => x.display),
    ['Blue', 'Red'],
  );
  const patched = await admin.request({
    method: 'PATCH',
    url: `/api/records/sales.deal/${deal.id}`,
    payload: {
      lines: [
        { id: deal.lines[0].id, tags: [red.id] },
        { description: 'b', tags: [blue.id] },
      ],
    },
  });
  t.equal(patched.statusCode, 200);
  const byDescription = Object.fromEntries(
    patched.json().lines.map((l: { description: string; tags: { display: string }[] }) => [l.description, l.tags.map((x) => x.display)]),
  );
  t.same(byDescription, { a: ['Red'], b: ['Blue'] });
});

t.test("a line's many2many to another tenant's record is refused", async (t) => {
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/sales.deal',
    payload: { name: 'D', stage: stage.id, lines: [{ description: 'a', tags: [foreignTag.id] }] },
  });
  t.equal(response.statusCode, 400);
  t.equal(response.json().error.details[0].field, 'lines.0.tags', 'the line and its field');
});

t.test('new lines get their defaults, on create and on update', async (t) => {
  const deal = await create(admin, 'sales.deal', { name: 'D', stage: stage.id, lines: [{ description: 'a' }] });
  t.equal(deal.lines[0].qty, 1);
  const patched = await admin.request({
    method: 'PATCH',
    url: `/api/records/sales.deal/${deal.id}`,
    payload: { lines: [{ id: deal.lines[0].id, qty: 3 }, { description: 'b' }] },
  });
  t.same(
    patched
      .json()
      .lines.map((l: { qty: number }) => l.qty)
      .sort(),
    [1, 3],
  );
});

t.test('a read-only field of a line cannot be written', async (t) => {
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/sales.deal',
    payload: { name: 'D', stage: stage.id, lines: [{ description: 'a', total: '5.00' }] },
  });
  t.equal(response.statusCode, 400);
  t.same(response.json().error.details, [{ field: 'lines.0.total', rule: 'readonly', message: 'is read-only' }]);
});

t.test('a model whose lines are records of its own model validates and reads', async (t) => {
  const parent = await create(admin, 'dir.company', { name: 'Group' });
  await create(admin, 'dir.company', { name: 'Branch', parent: parent.id });
  const read = await admin.request({ method: 'GET', url: `/api/records/dir.company/${parent.id}` });
  t.same(
    read.json().subsidiaries.map((s: { name: string }) => s.name),
    ['Branch'],
  );
  const written = await admin.request({ method: 'PATCH', url: `/api/records/dir.company/${parent.id}`, payload: { subsidiaries: [] } });
  t.equal(written.statusCode, 400);
  t.equal(written.json().error.details[0].rule, 'readonly');
});

t.test('a line with an id names only what changes; a new line needs its required fields', async (t) => {
  const deal = await create(admin, 'sales.deal', { name: 'D', stage: stage.id, lines: [{ description: 'a', qty: 2 }] });
  const partial = await admin.request({
    method: 'PATCH',
    url: `/api/records/sales.deal/${deal.id}`,
    payload: { lines: [{ id: deal.lines[0].id, qty: 5 }] },
  });
  t.equal(partial.statusCode, 200);
  t.same(
    partial.json().lines.map((l: { description: string; qty: number }) => [l.description, l.qty]),
    [['a', 5]],
  );
  const missing = await admin.request({ method: 'PATCH', url: `/api/records/sales.deal/${deal.id}`, payload: { lines: [{ qty: 5 }] } });
  t.equal(missing.statusCode, 400);
  t.same(missing.json().error.details, [{ field: 'lines.0.description', rule: 'required', message: 'is required' }]);
});

t.test("lines written with their parent go through their own model's hooks", async (t) => {
  const app = await startFixtureApp();
  t.teardown(() => app.close());
  const admin = await app.signup();
  const stage = (await admin.request({ method: 'GET', url: '/api/records/sales.stage' })).json().data[0];
  const deal = (
    await admin.request({
      method: 'POST',
      url: '/api/records/sales.deal',
      payload: { name: 'D', stage: stage.id, lines: [{ description: 'a', qty: 3, price: '2.50' }] },
    })
  ).json();
  t.equal(deal.lines[0].total, '7.50', 'computed on create through the parent');
  const [line] = deal.lines;
  const patched = (
    await admin.request({
      method: 'PATCH',
      url: `/api/records/sales.deal/${deal.id}`,
      payload: {
        lines: [
          { id: line.id, qty: 4 },
          { description: 'b', price: '1.00' },
        ],
      },
    })
  ).json();
  const totals = patched.lines.map((l: { description: string; total: string }) => `${l.description}:${l.total}`).sort();
  t.same(totals, ['a:10.00', 'b:1.00'], 'an updated line sees its current values; a new one its defaults (qty 1)');
  const alone = (await admin.request({ method: 'PATCH', url: `/api/records/sales.line/${line.id}`, payload: { price: '3.00' } })).json();
  t.equal(alone.total, '12.00', 'and written alone');
});
