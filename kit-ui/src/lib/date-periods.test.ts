import t from 'tap';
import { periodFilter, periodRange } from './date-periods';

const iso = ([from, to]: [Date, Date]) => [from.toISOString().slice(0, 10), to.toISOString().slice(0, 10)];
const today = new Date(Date.UTC(2026, 1, 18)); // a Wednesday in February, first quarter

t.test('periods count from today, ending the day after their last', async (t) => {
  t.same(iso(periodRange('today', today)), ['2026-02-18', '2026-02-19']);
  t.same(iso(periodRange('this_week', today)), ['2026-02-16', '2026-02-23'], 'from Monday');
  t.same(iso(periodRange('this_month', today)), ['2026-02-01', '2026-03-01']);
  t.same(iso(periodRange('last_month', today)), ['2026-01-01', '2026-02-01']);
  t.same(iso(periodRange('this_quarter', today)), ['2026-01-01', '2026-04-01']);
  t.same(iso(periodRange('last_quarter', today)), ['2025-10-01', '2026-01-01'], 'across the year');
  t.same(iso(periodRange('last_year', today)), ['2025-01-01', '2026-01-01']);
});

t.test('a date field gets calendar dates', async (t) => {
  t.same(periodFilter('deadline', 'this_month', false, new Date(2026, 1, 18, 23, 30)), {
    deadline: { $gte: '2026-02-01', $lt: '2026-03-01' },
  });
});
