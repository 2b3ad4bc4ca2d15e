import t from 'tap';
import { recordComparator, type ModelMeta, type RecordData as ApiRecord } from '@atrium/protocol';
import { parseFilter } from '../src/kernel/filter/filter-language.ts';
import { matchesCondition } from '../src/kernel/filter/filter-match.ts';
import type { RecordData } from '../src/kernel/record-types.ts';
import { call, q, startFixtureApp } from './helpers.ts';

/*
 * One table of filters, run through the records API (the SQL compiler, on this database) and through
 * @atrium/protocol's matcher (record rules, live events, the shell's views) over the same rows: the two
 * must select the same records. And the protocol's record order must be the API's ORDER BY.
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Table');
const post = async (model: string, body: object): Promise<string> => {
  const created = await call(admin, 'POST', `/api/records/${model}`, body);
  if (created.status !== 201) throw new Error(`${model}: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id;
};
const stageA = await post('sales.stage', { name: 'Alpha', sequence: 1 });
const stageB = await post('sales.stage', { name: 'beta', sequence: 2 });
const partner = await post('dir.company', { name: 'Partner' });
const tagX = await post('dir.tag', { name: 'x' });
const tagY = await post('dir.tag', { name: 'y' });
const ROWS = [
  {
    name: 'Chairs',
    stage: stageA,
    amount: '1200.50',
    probability: 10,
    priority: '1',
    closed_on: '2026-03-01',
    done: false,
    phase: 'todo',
    tags: [tagX],
  },
  {
    name: 'chairs 2',
    stage: stageB,
    amount: '9.99',
    probability: 9.5,
    priority: '0',
    closed_on: '2026-02-28',
    done: true,
    phase: 'done',
    tags: [tagX, tagY],
    partner,
  },
  {
    name: '10 desks',
    stage: stageA,
    amount: '-3',
    probability: null,
    priority: '0',
    closed_on: null,
    done: false,
    phase: null,
    tags: [],
    partner,
  },
  {
    name: '9 lamps',
    stage: stageB,
    amount: null,
    probability: 100,
    priority: '1',
    closed_on: '2025-12-31',
    done: false,
    phase: 'doing',
    tags: [tagY],
  },
  {
    name: 'a_b%c',
    stage: stageA,
    amount: '1200.5',
    probability: 0,
    priority: '0',
    closed_on: '2026-03-01',
    done: true,
    phase: 'todo',
    tags: [],
  },
  { name: 'Émile', stage: stageB, amount: '0', probability: 50, priority: '1', done: false, tags: [tagX] },
];
for (const row of ROWS) await post('sales.deal', row);
const model = app.app.platform.registry.model('sales.deal')!;
const all: RecordData[] = (await call(admin, 'GET', '/api/records/sales.deal?limit=100')).body.data;

const FILTERS: object[] = [
  { amount: '1200.5' },
  { amount: { $gt: '9.999' } },
  { amount: { $lte: 0 } },
  { amount: { $in: ['1200.50', '0.00'] } },
  { amount: { $nin: ['-3'] } },
  { amount: { $ne: '1200.5' } },
  { amount: null },
  { probability: { $gt: 9 } },
  { probability: { $gte: 9.5, $lt: 100 } },
  { probability: { $null: false } },
  { priority: { $gt: '0' } },
  { priority: { $in: ['1'] } },
  { phase: { $ne: 'todo' } },
  { phase: { $nin: ['todo', 'doing'] } },
  { done: true },
  { done: { $ne: true } },
  { closed_on: { $gte: '2026-03-01' } },
  { closed_on: { $lt: '2026-03-01' } },
  { closed_on: null },
  { stage: stageA },
  { stage: { $ne: stageA } },
  { partner: null },
  { partner: { $in: [partner] } },
  { partner: { $nin: [partner] } },
  { tags: tagX },
  { tags: { $ne: tagX } },
  { tags: { $in: [tagY] } },
  { tags: { $nin: [tagX, tagY] } },
  { tags: { $null: true } },
  { name: { $ilike: 'chairs%' } },
  { name: { $ilike: '%\\_%' } },
  { name: { $ilike: 'a\\_b\\%c' } },
  { name: { $ilike: 'é%' } },
  { name: { $gt: 'Z' } },
  { name: { $lt: '9' } },
  { $or: [{ done: true }, { probability: { $gt: 50 } }] },
  { $not: { phase: 'todo' } },
  { $not: { probability: { $gt: 9 } } },
  { $and: [{ stage: stageB }, { $not: { tags: tagX } }] },
];

t.test('the SQL compiler and the matcher select the same records', async (t) => {
  for (const filter of FILTERS) {
    const listed = await call(admin, 'GET', `/api/records/sales.deal?filter=${q(filter)}&limit=100`);
    t.equal(listed.status, 200, JSON.stringify(filter));
    const condition = parseFilter(model, filter, { source: 'filter' });
    const matched = all
      .filter((r) => matchesCondition(model, condition, r))
      .map((r) => r.name)
      .sort();
    t.same(listed.body.data.map((r: RecordData) => r.name).sort(), matched, JSON.stringify(filter));
  }
});

t.test('the protocol orders records as the API sorts them', async (t) => {
  const meta: ModelMeta = (await call(admin, 'GET', '/api/meta')).body.models['sales.deal'];
  for (const sort of ['amount', '-amount', 'name', '-probability,name', 'closed_on,-done', 'stage,-amount', 'priority,-name', 'phase']) {
    const listed = (await call(admin, 'GET', `/api/records/sales.deal?sort=${sort}&limit=100`)).body.data as ApiRecord[];
    t.same(
      [...listed].sort(recordComparator(meta, sort)).map((r) => r.name),
      listed.map((r) => r.name),
      sort,
    );
  }
});
