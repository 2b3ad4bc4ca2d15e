import t from 'tap';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { call, q, seedDeal, startFixtureApp } from './helpers.ts';
import type { SignedIn } from '../src/platform/testing/index.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Exports');
const { stage, company } = await seedDeal(admin, {
  name: 'Alpha',
  amount: '10.10',
  probability: 10,
  priority: '1',
  secret: 'hush',
  closed_on: '2026-01-15',
});
await call(admin, 'POST', '/api/records/sales.deal', { name: 'Beta, "quoted"', stage, amount: '123456789012345.67', probability: 50 });
await call(admin, 'POST', '/api/records/sales.deal', { name: 'Gamma', stage, partner: company, amount: '0.30', probability: 90 });

async function exported(who: SignedIn, query: string): Promise<{ status: number; type: string; body: Buffer }> {
  const response = await who.request({ method: 'GET', url: `/api/records/sales.deal/export?${query}` });
  return { status: response.statusCode, type: String(response.headers['content-type']), body: response.rawPayload };
}

const csvRows = (body: Buffer): string[][] => parse(body.toString('utf8'), { bom: true });

t.test('a CSV export holds a header of labels and every filtered row, sorted, relations by name, money exact', async (t) => {
  const { status, type, body } = await exported(
    admin,
    `format=csv&sort=-name&fields=name,partner,stage,amount,priority,closed_on&filter=${q({ probability: { $lte: 50 } })}`,
  );
  t.equal(status, 200);
  t.match(type, /^text\/csv/);
  t.equal(body.subarray(0, 3).toString('hex'), 'efbbbf', 'a byte order mark, so spreadsheets read UTF-8');
  const [header, ...rows] = csvRows(body);
  t.same(header, ['ID', 'Name', 'Customer', 'Stage', 'Amount', 'Priority', 'Closed on']);
  t.same(
    rows.map((r) => r.slice(1)),
    [
      ['Beta, "quoted"', '', 'New', '123456789012345.67', 'Normal', ''],
      ['Alpha', 'Big Co', 'New', '10.10', 'High', '2026-01-15'],
    ],
  );
  t.match(rows[0][0], /^[0-9a-f-]{36}$/, 'each row carries its id, for a re-import to update');
});

t.test('an XLSX export parses back with the same content; amounts are numbers only when exact', async (t) => {
  const { status, type, body } = await exported(admin, 'format=xlsx&sort=name&fields=name,partner,amount,probability,done');
  t.equal(status, 200);
  t.equal(type, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  t.equal(sheet.name, 'Deal');
  const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(2);
  t.same(values(1), ['Name', 'Customer', 'Amount', 'Probability', 'Done']);
  t.same(values(2), ['Alpha', 'Big Co', 10.1, 10, false]);
  t.equal(sheet.getRow(2).getCell(4).numFmt, '0.00', 'an amount keeps its decimals');
  t.same(values(3), ['Beta, "quoted"', undefined, '123456789012345.67', 50, false], 'a double cannot hold it: it stays text, not rounded');
  t.same(values(4), ['Gamma', 'Big Co', 0.3, 90, false]);
  t.equal(sheet.rowCount, 4);
});

t.test('only fields the user may read are exported, and naming another is a 400', async (t) => {
  const user = await app.addUser(admin, ['user']);
  const [adminHeader] = csvRows((await exported(admin, 'format=csv')).body);
  const [userHeader, ...rows] = csvRows((await exported(user, 'format=csv')).body);
  t.ok(adminHeader.includes('Secret'), 'the admin reads the secret');
  t.notOk(userHeader.includes('Secret'), 'a user does not');
  t.notOk(rows.flat().includes('hush'));
  t.notOk(adminHeader.includes('Lines'), 'lines are not a column');
  const refused = await call(user, 'GET', '/api/records/sales.deal/export?format=csv&fields=name,secret');
  t.equal(refused.status, 400);
  t.equal(refused.body.error.details[0].field, 'fields.secret');
});

t.test('bad parameters are 400s naming them; another tenant sees none of these rows', async (t) => {
  t.equal((await call(admin, 'GET', '/api/records/sales.deal/export?format=pdf')).body.error.details[0].field, 'format');
  t.equal((await call(admin, 'GET', '/api/records/sales.deal/export?limit=5')).body.error.details[0].field, 'limit');
  t.equal((await call(admin, 'GET', `/api/records/sales.deal/export?filter=${q({ nope: 1 })}`)).body.error.details[0].field, 'filter.nope');
  t.equal((await call(admin, 'GET', '/api/records/sales.nope/export')).status, 404);
  const other = await app.signup('Other');
  const [header, ...rows] = csvRows((await exported(other, 'format=csv')).body);
  t.equal(header[0], 'ID');
  t.same(rows, []);
});
