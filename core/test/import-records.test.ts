import t from 'tap';
import ExcelJS from 'exceljs';
import { call, q, seedDeal, startFixtureApp, type Answer } from './helpers.ts';
import type { SignedIn } from '../src/platform/testing/index.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Imports');
const { stage, company } = await seedDeal(admin, { name: 'Existing', amount: '5.00' });
// The sales fixture's seed data has a stage "Won".
const won = (await call(admin, 'GET', `/api/records/sales.stage?filter=${q({ name: 'Won' })}`)).body.data[0].id;

async function importCsv(who: SignedIn, csv: string, query = ''): Promise<Answer> {
  const response = await who.request({
    method: 'POST',
    url: `/api/records/sales.deal/import?${query}`,
    payload: csv,
    headers: { 'content-type': 'text/csv' },
  });
  return { status: response.statusCode, body: response.json() };
}

async function dealNames(who: SignedIn): Promise<string[]> {
  return (await call(who, 'GET', '/api/records/sales.deal?sort=name&limit=500')).body.data.map((d: { name: string }) => d.name);
}

t.test('rows without an id create records, rows with one update them, through the record path with events', async (t) => {
  const existing = (await call(admin, 'GET', `/api/records/sales.deal?filter=${q({ name: 'Existing' })}`)).body.data[0];
  const csv = [
    'id,Name,Customer,stage,Amount,Priority,done',
    `${existing.id},Existing renamed,,Won,7.50,High,yes`,
    `,New one,Big Co,${stage},12.345,,`,
    ',New two,,New,0.1,Normal,false',
  ].join('\n');
  const dry = await importCsv(admin, csv, 'dry_run=true');
  t.equal(dry.status, 200);
  t.same(dry.body.errors, [{ row: 3, field: 'amount', message: 'has more than 2 decimals' }], 'the row with too many decimals is named');
  t.same(await dealNames(admin), ['Existing'], 'a dry run writes nothing');

  const fixed = csv.replace('12.345', '12.34');
  t.match((await importCsv(admin, fixed, 'dry_run=true')).body, { created: 2, updated: 1, errors: [] });
  t.same(await dealNames(admin), ['Existing'], 'a clean dry run writes nothing either');
  t.same((await importCsv(admin, fixed)).body, { created: 2, updated: 1, errors: [] });

  const deals = (await call(admin, 'GET', '/api/records/sales.deal?sort=name')).body.data;
  t.same(
    deals.map((d: Answer['body']) => [d.name, d.partner?.display ?? null, d.stage.display, d.amount, d.priority, d.done]),
    [
      ['Existing renamed', null, 'Won', '7.50', '1', true],
      ['New one', 'Big Co', 'New', '12.34', '0', false],
      ['New two', null, 'New', '0.10', '0', false],
    ],
  );
  t.equal(deals[0].id, existing.id);
  t.equal(deals[0].version, 2, 'an update moves the version like a PATCH');
  const history = (await call(admin, 'GET', `/api/records/sales.deal/${existing.id}/history`)).body.data;
  t.same(
    history.map((h: Answer['body']) => h.op),
    ['created', 'updated'],
    'each write has its event',
  );
  t.equal(history[1].changes.name, 'Existing renamed');
});

t.test('a bad row: nothing is written, every row error is reported', async (t) => {
  const before = await dealNames(admin);
  const csv = [
    'Name,Stage,Probability,Customer',
    'Fine,New,10,',
    ',New,20,',
    'Too likely,Won,150,',
    'Nobody,New,5,Unknown Co',
    'Also fine,New,,',
  ].join('\r\n');
  const { status, body } = await importCsv(admin, csv);
  t.equal(status, 200);
  t.equal(body.errors.length, 3);
  t.match(body.errors, [
    { row: 3, field: 'name', message: /required/ },
    { row: 4, field: 'probability', message: /100/ },
    { row: 5, field: 'partner', message: 'no record named "Unknown Co"' },
  ]);
  t.same(await dealNames(admin), before, 'all or nothing');
});

t.test('relations by id or name; an ambiguous name is a row error', async (t) => {
  await call(admin, 'POST', '/api/records/dir.company', { name: 'Twin' });
  await call(admin, 'POST', '/api/records/dir.company', { name: 'Twin' });
  const { body } = await importCsv(admin, `name,stage,partner\nBy id,${won},${company}\nTwinned,New,Twin`, 'dry_run=true');
  t.same(body.errors, [{ row: 3, field: 'partner', message: 'several records are named "Twin": use the id' }]);
  t.equal(body.created, 1);
});

t.test("another tenant's id is a row error, never an update", async (t) => {
  const other = await app.signup('Other');
  const theirs = await seedDeal(other, { name: 'Theirs' });
  const { body } = await importCsv(
    admin,
    `id,name\n${theirs.deal.id},Stolen\n${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)},Ghost\nnot-an-id,Bad`,
  );
  t.same(body.errors, [
    { row: 2, field: 'id', message: 'no record with this id' },
    { row: 3, field: 'id', message: 'no record with this id' },
    { row: 4, field: 'id', message: 'no record with this id' },
  ]);
  t.equal((await call(other, 'GET', `/api/records/sales.deal/${theirs.deal.id}`)).body.name, 'Theirs');
});

t.test('create and update rules apply per row', async (t) => {
  const user = await app.addUser(admin, ['user']);
  const mine = (await call(user, 'POST', '/api/records/sales.deal', { name: 'Mine', stage })).body;
  const managers = (await call(admin, 'GET', `/api/records/sales.deal?filter=${q({ name: 'New two' })}`)).body.data[0];
  const { body } = await importCsv(user, `id,name\n${mine.id},Mine edited\n${managers.id},Not mine`, 'dry_run=true');
  t.same(body.updated, 1);
  t.match(body.errors, [{ row: 3, field: null, message: /may not update/ }]);
  const secret = await importCsv(user, 'name,stage,secret\nX,New,psst', 'dry_run=true');
  t.match(secret.body.errors, [{ row: 2, field: 'secret', message: 'you may not write this field' }]);
});

t.test('columns match names or labels; a mapping renames or skips them; a bad column is an error of the header row', async (t) => {
  const unknown = await importCsv(admin, 'name,stage,colour\nA,New,red');
  t.equal(unknown.status, 200);
  t.same(unknown.body, {
    created: 0,
    updated: 0,
    errors: [{ row: 1, field: 'columns.colour', message: 'matches no field of Deal: map it to a field or skip it' }],
  });
  const mapped = await importCsv(admin, 'Title,stage,colour\nMapped,New,red', `dry_run=true&mapping=${q({ Title: 'name', colour: null })}`);
  t.same(
    mapped.body,
    {
      created: 1,
      updated: 0,
      errors: [],
      columns: [
        { name: 'Title', field: 'name' },
        { name: 'stage', field: 'stage' },
        { name: 'colour', field: null },
      ],
      preview: [['Mapped', 'New', 'red']],
    },
    'a dry run shows how columns were matched and the first rows',
  );
  t.equal((await importCsv(admin, 'name,version\nA,3')).body.errors[0].field, 'columns.version');
  t.equal((await importCsv(admin, 'name,lines\nA,x')).body.errors[0].field, 'columns.lines');
});

t.test('an XLSX file sent as a multipart form imports like a CSV', async (t) => {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Deals');
  sheet.addRow(['Name', 'Stage', 'Amount', 'Closed on', 'Done']);
  sheet.addRow(['From Excel', 'Won', 99.5, new Date(Date.UTC(2026, 2, 4)), true]);
  const file = Buffer.from(await workbook.xlsx.writeBuffer());
  const boundary = 'atriumboundary';
  const form = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="deals.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await admin.request({
    method: 'POST',
    url: '/api/records/sales.deal/import',
    payload: form,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
  t.same(response.json(), { created: 1, updated: 0, errors: [] });
  const [deal] = (await call(admin, 'GET', `/api/records/sales.deal?filter=${q({ name: 'From Excel' })}`)).body.data;
  t.match(deal, { amount: '99.50', closed_on: '2026-03-04', done: true, stage: { display: 'Won' } });
});

t.test('an export re-imported as it is updates the same records', async (t) => {
  const exported = await admin.request({
    method: 'GET',
    url: '/api/records/sales.deal/export?format=csv&fields=name,partner,stage,amount,priority',
  });
  const before = (await call(admin, 'GET', '/api/records/sales.deal?sort=name')).body.data;
  const { body } = await importCsv(admin, exported.body);
  t.same(body, { created: 0, updated: before.length, errors: [] });
  const after = (await call(admin, 'GET', '/api/records/sales.deal?sort=name')).body.data;
  t.same(
    after.map((d: Answer['body']) => [d.id, d.name, d.amount, d.partner, d.priority]),
    before.map((d: Answer['body']) => [d.id, d.name, d.amount, d.partner, d.priority]),
  );
});

t.test('a file too large is a 413 saying the limit; a bad file or parameter is a 400', async (t) => {
  const big = await importCsv(admin, `name\n${'x'.repeat(21 * 1024 * 1024)}`);
  t.equal(big.status, 413);
  t.same(big.body.error, { code: 'payload_too_large', message: 'The body is larger than 20 MB' });
  t.equal((await importCsv(admin, 'name\nA', 'dry_run=maybe')).body.error.details[0].field, 'dry_run');
  t.equal((await importCsv(admin, 'name\nA', 'mapping=[1]')).body.error.details[0].field, 'mapping');
  t.equal((await importCsv(admin, '')).body.error.details[0].field, 'file');
});
