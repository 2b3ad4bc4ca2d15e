import t from 'tap';
import { sql } from '../src/store/sql.ts';
import { call, q, seedDeal, startFixtureApp } from './helpers.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const a = await app.signup('Records');
const { stage, company } = await seedDeal(a, { name: 'Alpha', amount: '10.10', probability: 10, priority: '1', closed_on: '2026-01-15' });
const s2 = (await call(a, 'POST', '/api/records/sales.stage', { name: 'Won', sequence: 9 })).body.id;
await call(a, 'POST', '/api/records/sales.deal', { name: 'Beta', stage: s2, amount: '20.20', probability: 50 });
await call(a, 'POST', '/api/records/sales.deal', { name: 'Gamma', stage: s2, amount: 0.3, probability: 90, priority: '1' });

const names = (body: { data: { name: string }[] }): string[] => body.data.map((r) => r.name);

t.test('every record carries id, version, timestamps and authors', async (t) => {
  const { body } = await call(a, 'GET', `/api/records/sales.deal?filter=${q({ name: 'Alpha' })}`);
  const [deal] = body.data;
  t.match(deal, { id: String, version: 1, created_at: String, updated_at: String, created_by: a.user.id, updated_by: a.user.id });
  t.same(deal.partner, { id: company, display: 'Big Co' }, 'a many2one is {id, display}');
});

t.test('the filter language', async (t) => {
  const cases: [unknown, string[]][] = [
    [{ name: 'Beta' }, ['Beta']],
    [{ probability: { $gte: 50 } }, ['Beta', 'Gamma']],
    [{ probability: { $gt: 10, $lt: 90 } }, ['Beta']],
    [{ amount: { $lte: '10.10' } }, ['Alpha', 'Gamma']],
    [{ name: { $in: ['Alpha', 'Gamma'] } }, ['Alpha', 'Gamma']],
    [{ name: { $nin: ['Alpha'] } }, ['Beta', 'Gamma']],
    [{ name: { $ilike: '%AM%' } }, ['Gamma']],
    [{ closed_on: { $null: true } }, ['Beta', 'Gamma']],
    [{ closed_on: null }, ['Beta', 'Gamma']],
    [{ priority: { $ne: '1' } }, ['Beta']],
    [{ $or: [{ name: 'Alpha' }, { probability: 90 }] }, ['Alpha', 'Gamma']],
    [{ $not: { name: 'Alpha' } }, ['Beta', 'Gamma']],
    [{ $and: [{ stage: s2 }, { $not: { probability: { $lt: 60 } } }] }, ['Gamma']],
    [{ stage }, ['Alpha']],
  ];
  for (const [filter, expected] of cases) {
    const { status, body } = await call(a, 'GET', `/api/records/sales.deal?sort=name&filter=${q(filter)}`);
    t.equal(status, 200, JSON.stringify(filter));
    t.same(names(body), expected, JSON.stringify(filter));
    t.equal(body.total, expected.length);
  }
});

t.test('bad filters, sorts and paging are 400s naming the problem', async (t) => {
  const bad: [string, string][] = [
    [`filter=${q({ nope: 1 })}`, 'filter.nope'],
    [`filter=${q({ name: { $regex: 'x' } })}`, 'filter.name'],
    [`filter=${q({ probability: 'high' })}`, 'filter.probability'],
    [`filter=${q({ stage: 'not-a-uuid' })}`, 'filter.stage'],
    // Values the database would refuse are refused first, naming the field (they were 400s naming "value").
    [`filter=${q({ version: { $gt: 2 ** 31 } })}`, 'filter.version'],
    [`filter=${q({ closed_on: '2026-02-30' })}`, 'filter.closed_on'],
    [`filter=${q({ closed_on: '0000-01-01' })}`, 'filter.closed_on'],
    [`filter=${q({ created_at: { $lt: '1' } })}`, 'filter.created_at'],
    [`filter=${q({ name: 'a\u0000b' })}`, 'filter.name'],
    [`filter=${q({ lines: 1 })}`, 'filter.lines'],
    [`filter=${encodeURIComponent('{"__proto__": {"x": 1}}')}`, 'filter.__proto__'],
    ['filter=%7Bnot json', 'filter'],
    [`filter=${q(Array.from({ length: 10 }).reduce((inner) => ({ $not: inner }), { name: 'x' }))}`, 'filter.$'],
    ['sort=nope', 'sort.nope'],
    ['sort=tags', 'sort.tags'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=abc', 'limit'],
    ['offset=-1', 'offset'],
    ['fields=name,nope', 'fields.nope'],
    ['bogus=1', 'bogus'],
  ];
  for (const [query, field] of bad) {
    const { status, body } = await call(a, 'GET', `/api/records/sales.deal?${query}`);
    t.equal(status, 400, query);
    t.equal(body.error.code, 'validation_failed', query);
    t.equal(body.error.details[0].field, field, query);
  }
});

t.test('sort, limit, offset and fields', async (t) => {
  const page1 = await call(a, 'GET', '/api/records/sales.deal?sort=-probability&limit=2');
  t.same(names(page1.body), ['Gamma', 'Beta']);
  t.equal(page1.body.total, 3, 'total counts all matches, not the page');
  const page2 = await call(a, 'GET', '/api/records/sales.deal?sort=-probability&limit=2&offset=2');
  t.same(names(page2.body), ['Alpha']);
  const byStage = await call(a, 'GET', '/api/records/sales.deal?sort=stage,name');
  t.same(names(byStage.body), ['Alpha', 'Beta', 'Gamma'], 'a many2one sorts by its display name');
  const some = await call(a, 'GET', '/api/records/sales.deal?fields=name&limit=1');
  t.same(Object.keys(some.body.data[0]).sort(), ['created_at', 'created_by', 'id', 'name', 'updated_at', 'updated_by', 'version']);
});

t.test('groups count and sum in the database', async (t) => {
  const { body } = await call(a, 'GET', '/api/records/sales.deal/groups?by=stage&sum=amount');
  const byLabel = Object.fromEntries(body.data.map((g: { label: string }) => [g.label, g]));
  t.same(byLabel.New, { key: stage, label: 'New', count: 1, sum: '10.10' });
  t.same(byLabel.Won, { key: s2, label: 'Won', count: 2, sum: '20.50' }, 'money sums are exact');
  const filtered = await call(a, 'GET', `/api/records/sales.deal/groups?by=priority&filter=${q({ probability: { $gt: 5 } })}`);
  t.same(filtered.body.data, [
    { key: '0', label: 'Normal', count: 1 },
    { key: '1', label: 'High', count: 2 },
  ]);
  t.equal((await call(a, 'GET', '/api/records/sales.deal/groups?by=lines')).status, 400);
  t.equal((await call(a, 'GET', '/api/records/sales.deal/groups?by=stage&sum=name')).status, 400);
  t.equal((await call(a, 'GET', '/api/records/sales.deal/groups')).status, 400);
});

t.test('validation names every bad field and writes nothing', async (t) => {
  const before = (await call(a, 'GET', '/api/records/sales.deal')).body.total;
  const { status, body } = await call(a, 'POST', '/api/records/sales.deal', {
    name: 'x'.repeat(201),
    stage: 'nope',
    probability: 101,
    priority: '7',
    amount: '1.234',
    closed_on: '2026-13-45',
    bogus: true,
  });
  t.equal(status, 400);
  const fields = body.error.details.map((d: { field: string }) => d.field).sort();
  t.same(fields, ['bogus', 'closed_on', 'name', 'priority', 'probability', 'stage'], 'schema problems together');
  const precision = await call(a, 'POST', '/api/records/sales.deal', { name: 'x', stage, amount: '1.234' });
  t.equal(precision.status, 400);
  t.match(precision.body.error.details[0], { field: 'amount', rule: 'precision' });
  const missing = await call(a, 'POST', '/api/records/sales.deal', { amount: '1' });
  t.same(missing.body.error.details.map((d: { field: string }) => d.field).sort(), ['name', 'stage']);
  const badLine = await call(a, 'POST', '/api/records/sales.deal', { name: 'x', stage, lines: [{ description: 'ok' }, { qty: 'many' }] });
  t.equal(badLine.status, 400);
  t.same(badLine.body.error.details.map((d: { field: string }) => d.field).sort(), ['lines.1.description', 'lines.1.qty']);
  t.equal((await call(a, 'GET', '/api/records/sales.deal')).body.total, before, 'no half-written record');
  t.equal((await call(a, 'GET', '/api/records/sales.line')).body.total, 0, 'no orphan lines');
});

t.test('edge values: numbers a double cannot hold, exponents, blank required texts, dates that do not exist', async (t) => {
  const { deal } = await seedDeal(a, { name: 'Edges' });
  const before = (await call(a, 'GET', '/api/records/sales.deal')).body.total;
  // Raw text: JSON.stringify would round these numbers before they left the test.
  const send = (method: 'POST' | 'PATCH', body: string) =>
    a.request({
      method,
      url: method === 'POST' ? '/api/records/sales.deal' : `/api/records/sales.deal/${deal.id}`,
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
  const refused: [string, string, string][] = [
    ['"amount": 9007199254740993', 'amount', 'precision'],
    ['"amount": 123456789012345678901234567890', 'amount', 'precision'],
    ['"amount": 1e21', 'amount', 'range'],
    ['"amount": 1e300', 'amount', 'range'],
    ['"amount": 1e-7', 'amount', 'precision'],
    ['"amount": 0.10000000000000000001', 'amount', 'precision'],
    ['"probability": 1e400', 'probability', 'precision'],
    ['"probability": 1e-400', 'probability', 'precision'],
    ['"data": {"n": [1, 9007199254740993]}', 'data.n.1', 'precision'],
    ['"lines": [{"description": "l", "price": 1e21}]', 'lines.0.price', 'range'],
    ['"lines": [{"description": "l", "qty": 123456789012345678901234567890}]', 'lines.0.qty', 'precision'],
    ['"name": ""', 'name', 'required'],
    ['"name": " \\t\\n "', 'name', 'required'],
    ['"lines": [{"description": "  "}]', 'lines.0.description', 'required'],
    ['"closed_on": "0000-01-01"', 'closed_on', 'format'],
    ['"closed_on": "2023-02-30"', 'closed_on', 'format'],
    ['"closed_on": "2024-02-29T00:00:00Z"', 'closed_on', 'format'],
  ];
  for (const [pair, field, rule] of refused) {
    for (const method of ['POST', 'PATCH'] as const) {
      const body = method === 'POST' ? `{"name": "n", "stage": "${deal.stage.id}", ${pair}}` : `{${pair}}`;
      const response = await send(method, body);
      t.equal(response.statusCode, 400, `${method} ${pair}`);
      t.match(response.json().error.details, [{ field, rule }], `${method} ${pair}`);
    }
  }
  t.equal((await call(a, 'GET', '/api/records/sales.deal')).body.total, before, 'nothing written');
  t.equal((await call(a, 'GET', `/api/records/sales.deal/${deal.id}`)).body.version, deal.version, 'nothing changed');
  // Exponents that are exact amounts are kept exactly.
  const stored: [string, string][] = [
    ['1e14', '100000000000000.00'],
    ['1.5e2', '150.00'],
    ['9007199254740.5', '9007199254740.50'],
    ['1e-2', '0.01'],
    ['-0', '0.00'],
  ];
  for (const [number, amount] of stored) {
    const response = await send('PATCH', `{"amount": ${number}}`);
    t.equal(response.statusCode, 200, number);
    t.equal(response.json().amount, amount, number);
  }
  const big = await send('PATCH', '{"probability": 1e-300, "lines": [{"description": "l", "qty": 1e300, "price": 1e14}]}');
  t.equal(big.statusCode, 200, `a number field keeps any double: ${big.body}`);
  t.equal(big.json().probability, 1e-300);
});

t.test('bodies that are not JSON objects', async (t) => {
  const raw = (payload: string, type = 'application/json') =>
    a.request({ method: 'POST', url: '/api/records/dir.company', payload, headers: { 'content-type': type } });
  const badJson = await raw('{"name": ');
  t.equal(badJson.statusCode, 400);
  t.equal(badJson.json().error.code, 'invalid_json');
  t.equal((await raw('[1,2]')).statusCode, 400);
  t.equal((await raw('"text"')).statusCode, 400);
  const text = await raw('name=x', 'text/plain');
  t.equal(text.statusCode, 415);
  t.equal(text.json().error.code, 'unsupported_media_type');
  const huge = await raw(JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }));
  t.equal(huge.statusCode, 413);
  t.equal(huge.json().error.code, 'payload_too_large');
  const proto = await raw('{"name": "x", "__proto__": {"admin": true}}');
  t.equal(proto.statusCode, 400);
  const nul = await raw(JSON.stringify({ name: 'a\u0000b' }));
  t.equal(nul.statusCode, 400);
});

t.test('patch with If-Match: the current version wins, a stale one is a 409 with the current record', async (t) => {
  const deal = (await call(a, 'POST', '/api/records/sales.deal', { name: 'Versioned', stage })).body;
  const first = await call(a, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'V2' }, { 'if-match': '1' });
  t.equal(first.status, 200);
  t.equal(first.body.version, 2);
  const stale = await call(a, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'V3' }, { 'if-match': '"1"' });
  t.equal(stale.status, 409);
  t.equal(stale.body.error.code, 'conflict');
  t.match(stale.body.error.details.current, { id: deal.id, version: 2, name: 'V2' });
  t.equal((await call(a, 'PATCH', `/api/records/sales.deal/${deal.id}`, { name: 'V3' }, { 'if-match': 'abc' })).status, 400);
  const free = await call(a, 'PATCH', `/api/records/sales.deal/${deal.id}`, { probability: 5 });
  t.equal(free.body.version, 3, 'without If-Match the write goes through');
  t.equal(
    (await call(a, 'PATCH', `/api/records/sales.deal/${deal.id}`, { stage: null })).status,
    400,
    'a required field cannot be emptied',
  );
  t.equal((await call(a, 'PATCH', '/api/records/sales.deal/not-a-uuid', { name: 'x' })).status, 404);
});

t.test('one2many lines and many2many tags are written with their parent', async (t) => {
  const tags = await Promise.all(
    ['red', 'blue', 'green'].map(async (name) => (await call(a, 'POST', '/api/records/dir.tag', { name })).body.id),
  );
  const created = await call(a, 'POST', '/api/records/sales.deal', {
    name: 'Lines',
    stage,
    tags: [tags[0], tags[1]],
    lines: [
      { description: 'one', qty: 1, price: '2.50' },
      { description: 'two', qty: 2 },
    ],
  });
  t.equal(created.status, 201);
  t.same(
    created.body.tags.map((x: { display: string }) => x.display),
    ['blue', 'red'],
  );
  t.same(created.body.lines.map((l: { description: string }) => l.description).sort(), ['one', 'two']);
  const [one, two] = created.body.lines.sort((x: { description: string }, y: { description: string }) =>
    x.description.localeCompare(y.description),
  );
  const updated = await call(
    a,
    'PATCH',
    `/api/records/sales.deal/${created.body.id}`,
    { tags: [tags[2]], lines: [{ id: one.id, qty: 5 }, { description: 'three' }] },
    { 'if-match': '1' },
  );
  t.equal(updated.status, 200);
  t.equal(updated.body.version, 2, 'the parent version moves by one');
  t.same(
    updated.body.tags.map((x: { display: string }) => x.display),
    ['green'],
  );
  const lines = updated.body.lines.map((l: { description: string; qty: number }) => `${l.description}:${l.qty}`).sort();
  t.same(lines, ['one:5', 'three:1'], 'kept, updated, created (with its defaults); the missing line is deleted');
  t.equal((await call(a, 'GET', `/api/records/sales.line/${two.id}`)).status, 404);
  const foreign = await call(a, 'PATCH', `/api/records/sales.deal/${created.body.id}`, {
    lines: [{ id: '3f1d7f7e-2b7a-4c1e-9d6a-0c8e9f4b2a11', qty: 1 }],
  });
  t.equal(foreign.status, 400);
  t.equal(foreign.body.error.details[0].field, 'lines');
  t.equal((await call(a, 'GET', `/api/records/sales.deal/${created.body.id}`)).body.lines.length, 2, 'the refused write changed nothing');
});

t.test('actions, delete and history', async (t) => {
  const deal = (await call(a, 'POST', '/api/records/sales.deal', { name: 'Act', stage })).body;
  const closed = await call(a, 'POST', `/api/records/sales.deal/${deal.id}/actions/close`);
  t.equal(closed.status, 200);
  t.match(closed.body, { done: true, version: 2 });
  const again = await call(a, 'POST', `/api/records/sales.deal/${deal.id}/actions/close`);
  t.equal(again.status, 409, 'an action outside its `when` state is a conflict');
  t.equal((await call(a, 'POST', `/api/records/sales.deal/${deal.id}/actions/nope`)).status, 404);
  const history = await call(a, 'GET', `/api/records/sales.deal/${deal.id}/history`);
  t.same(
    history.body.data.map((e: { op: string }) => e.op),
    ['created', 'updated'],
  );
  t.same(history.body.data[1].changes, { done: true, closed_on: closed.body.closed_on });
  t.same(history.body.data[1].previous, { done: false, closed_on: null });
  t.same(history.body.data[1].actor, { id: a.user.id, display: 'Admin' });
  t.equal((await call(a, 'DELETE', `/api/records/sales.deal/${deal.id}`)).status, 204);
  t.equal((await call(a, 'GET', `/api/records/sales.deal/${deal.id}`)).status, 404);
  t.equal((await call(a, 'DELETE', `/api/records/sales.deal/${deal.id}`)).status, 404);
  const used = await call(a, 'DELETE', `/api/records/sales.stage/${stage}`);
  t.equal(used.status, 409, 'a record still referenced cannot be deleted');
});

t.test('unknown models, and totals capped at 10,000', async (t) => {
  t.equal((await call(a, 'GET', '/api/records/nope.model')).status, 404);
  t.equal((await call(a, 'GET', '/api/records/sales.deal/groups?by=stage')).status, 200);
  await app.app.platform.db.system(
    sql`INSERT INTO dir_tag (tenant_id, id, name) SELECT ${a.tenant.id}::uuid, gen_random_uuid(), 'bulk ' || i FROM generate_series(1, 10050) i`,
  );
  const { body } = await call(a, 'GET', '/api/records/dir.tag?limit=1');
  t.equal(body.total, 10000);
  t.equal(body.total_capped, true);
});

t.test('users read through the record API like any model, authors included', async (t) => {
  const added = await app.addUser(a, ['user'], 'Added');
  const list = await call(a, 'GET', `/api/records/core.user?sort=created_by,name&filter=${q({ updated_by: { $null: false } })}`);
  t.equal(list.status, 200);
  t.same(
    list.body.data.map((u: { id: string }) => u.id),
    [added.user.id],
    'a user added by an admin names that admin as author',
  );
  const one = await call(a, 'GET', `/api/records/core.user/${added.user.id}`);
  t.match(one, { status: 200, body: { name: 'Added', created_by: a.user.id, updated_by: a.user.id } });
  t.equal((await call(a, 'GET', `/api/records/core.user/${a.user.id}/history`)).status, 200);
  t.equal((await call(a, 'GET', '/api/records/core.user/00000000-0000-4000-8000-000000000000')).status, 404);
});
