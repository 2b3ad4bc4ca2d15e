import type { Filter } from '@atrium/protocol';

/** Relative date filters, as Odoo offers them: each a range of days counted from today. */
export const PERIODS = {
  today: 'Today',
  this_week: 'This week',
  this_month: 'This month',
  last_month: 'Last month',
  this_quarter: 'This quarter',
  last_quarter: 'Last quarter',
  this_year: 'This year',
  last_year: 'Last year',
} as const;

export type Period = keyof typeof PERIODS;

export const isPeriod = (value: unknown): value is Period => typeof value === 'string' && Object.hasOwn(PERIODS, value);

const day = (y: number, m: number, d: number): Date => new Date(Date.UTC(y, m, d));

/** [first day, day after the last) of a period around `today` (a calendar date, read in UTC). */
export function periodRange(period: Period, today: Date): [Date, Date] {
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  const d = today.getUTCDate();
  const quarter = Math.floor(m / 3) * 3;
  switch (period) {
    case 'today':
      return [day(y, m, d), day(y, m, d + 1)];
    case 'this_week': {
      const monday = d - ((today.getUTCDay() + 6) % 7);
      return [day(y, m, monday), day(y, m, monday + 7)];
    }
    case 'this_month':
      return [day(y, m, 1), day(y, m + 1, 1)];
    case 'last_month':
      return [day(y, m - 1, 1), day(y, m, 1)];
    case 'this_quarter':
      return [day(y, quarter, 1), day(y, quarter + 3, 1)];
    case 'last_quarter':
      return [day(y, quarter - 3, 1), day(y, quarter, 1)];
    case 'this_year':
      return [day(y, 0, 1), day(y + 1, 0, 1)];
    case 'last_year':
      return [day(y - 1, 0, 1), day(y, 0, 1)];
  }
}

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

/** The records API's filter for a date (or datetime) field within a period, counted from the user's today. */
export function periodFilter(field: string, period: Period, datetime: boolean, now = new Date()): Filter {
  const today = day(now.getFullYear(), now.getMonth(), now.getDate());
  const [from, to] = periodRange(period, today);
  if (!datetime) return { [field]: { $gte: isoDay(from), $lt: isoDay(to) } };
  // Midnight where the user is, for a timestamp.
  const local = (date: Date): string => new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()).toISOString();
  return { [field]: { $gte: local(from), $lt: local(to) } };
}
