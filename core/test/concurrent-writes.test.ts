import t from 'tap';
import type { SignedIn } from '../src/platform/testing/index.ts';
import { call, q, startFixtureApp, type Answer } from './helpers.ts';

/*
 * Writers that race for one record, all sent at once: of several updates carrying the same If-Match
 * version exactly one wins and the others get a 409 with the winner's record — with lines too, where
 * the lines stored are exactly the winner's; of several actions that only one state allows, exactly one
 * runs. A check that reads the version and then writes would let two win: the version must be
 * compared, and moved, in the write itself (or under a lock).
 */
const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Racing');
const stage = (await call(admin, 'GET', '/api/records/sales.stage')).body.data[0].id as string;
const WRITERS = 3;
const ROUNDS = 8;

const deal = async (body: object = {}): Promise<{ id: string; version: number; lines: { id: string }[] }> => {
  const created = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Raced', stage, ...body });
  if (created.status !== 201) throw new Error(`${created.status} ${JSON.stringify(created.body)}`);
  return created.body;
};
const read = async (id: string) => (await call(admin, 'GET', `/api/records/sales.deal/${id}`)).body;
const updates = async (id: string): Promise<number> =>
  (await call(admin, 'GET', `/api/records/sales.deal/${id}/history`)).body.data.filter((e: { op: string }) => e.op === 'updated').length;

/** Sends every request at once (several users' tabs), and waits for all the answers. */
const together = (requests: (() => Promise<Answer>)[]): Promise<Answer[]> => Promise.all(requests.map((send) => send()));
const statuses = (answers: Answer[]): number[] => answers.map((a) => a.status).sort();

const writers: SignedIn[] = [admin, ...(await Promise.all(Array.from({ length: WRITERS - 1 }, () => app.addUser(admin, ['manager']))))];

t.test(
  `${WRITERS} updates with the same If-Match at once: one wins, the others get a 409 with its record (${ROUNDS} rounds)`,
  async (t) => {
    const { id } = await deal();
    for (let round = 0; round < ROUNDS; round++) {
      const { version } = await read(id);
      const answers = await together(
        writers.map(
          (who, w) => () =>
            call(who, 'PATCH', `/api/records/sales.deal/${id}`, { name: `round ${round} writer ${w}` }, { 'if-match': String(version) }),
        ),
      );
      t.same(statuses(answers), [200, ...Array(WRITERS - 1).fill(409)], `round ${round}: exactly one winner`);
      const winner = answers.find((a) => a.status === 200)?.body;
      const stored = await read(id);
      t.same([stored.name, stored.version], [winner?.name, version + 1], `round ${round}: the winner's write is stored, one version on`);
      for (const lost of answers.filter((a) => a.status === 409))
        t.match(
          lost.body.error.details.current,
          { name: winner?.name, version: version + 1 },
          `round ${round}: the conflict shows the winner's record`,
        );
    }
    t.equal((await read(id)).version, 1 + ROUNDS, 'one version per round');
    t.equal(await updates(id), ROUNDS, 'one event per round');
  },
);

t.test(`${WRITERS} updates of the lines with the same If-Match at once: the lines stored are exactly the winner's`, async (t) => {
  const { id, lines } = await deal({
    lines: [
      { description: 'kept', qty: 1 },
      { description: 'dropped', qty: 1 },
    ],
  });
  for (let round = 0; round < ROUNDS; round++) {
    const current = await read(id);
    const keep = current.lines.find((l: { description: string }) => l.description === 'kept') ?? lines[0];
    // Each writer keeps the first line with a quantity of its own, drops the rest and adds two lines of its own.
    const answers = await together(
      writers.map(
        (who, w) => () =>
          call(
            who,
            'PATCH',
            `/api/records/sales.deal/${id}`,
            {
              lines: [
                { id: keep.id, qty: 10 * round + w },
                { description: `r${round} w${w} a` },
                { description: `r${round} w${w} b`, qty: 2 },
              ],
            },
            { 'if-match': String(current.version) },
          ),
      ),
    );
    t.same(statuses(answers), [200, ...Array(WRITERS - 1).fill(409)], `round ${round}: exactly one winner`);
    const w = answers.findIndex((a) => a.status === 200);
    const stored = await read(id);
    const summary = (rows: { description: string; qty: number }[]) => rows.map((l) => `${l.description}:${l.qty}`).sort();
    t.same(
      summary(stored.lines),
      summary([
        { description: 'kept', qty: 10 * round + w },
        { description: `r${round} w${w} a`, qty: 1 },
        { description: `r${round} w${w} b`, qty: 2 },
      ]),
      `round ${round}: the winner's lines, no others`,
    );
    const rows = await call(admin, 'GET', `/api/records/sales.line?filter=${q({ deal: id })}&limit=100`);
    t.equal(rows.body.total, 3, `round ${round}: three line records in the database`);
  }
  t.equal((await read(id)).version, 1 + ROUNDS, 'one version per round');
});

t.test(`${WRITERS} runs of an action that only one state allows, at once: one runs, the others get a 409`, async (t) => {
  for (let round = 0; round < ROUNDS; round++) {
    const { id } = await deal({ done: false });
    const answers = await together(writers.map((who) => () => call(who, 'POST', `/api/records/sales.deal/${id}/actions/close`, {})));
    t.same(statuses(answers), [200, ...Array(WRITERS - 1).fill(409)], `round ${round}: exactly one close`);
    const stored = await read(id);
    t.same([stored.done, stored.version], [true, 2], `round ${round}: closed once, one version on`);
    t.equal(await updates(id), 1, `round ${round}: one event`);
  }
});

t.test('an action and updates with If-Match at once: every success moves the version by one, no write is lost', async (t) => {
  for (let round = 0; round < ROUNDS; round++) {
    const { id, version } = await deal({ done: false });
    const answers = await together([
      () => call(writers[0], 'POST', `/api/records/sales.deal/${id}/actions/close`, {}),
      ...writers
        .slice(1)
        .map(
          (who, w) => () => call(who, 'PATCH', `/api/records/sales.deal/${id}`, { name: `writer ${w}` }, { 'if-match': String(version) }),
        ),
    ]);
    const won = answers.filter((a) => a.status === 200).length;
    t.same(
      answers.filter((a) => a.status !== 200 && a.status !== 409),
      [],
      `round ${round}: 200 or 409 only`,
    );
    t.equal(answers[0].status, 200, `round ${round}: the action (which names no version) ran`);
    t.ok(answers.slice(1).filter((a) => a.status === 200).length <= 1, `round ${round}: at most one update with that version won`);
    const stored = await read(id);
    t.equal(stored.version, version + won, `round ${round}: the version moved once per success`);
    t.equal(await updates(id), won, `round ${round}: one event per success`);
  }
});
