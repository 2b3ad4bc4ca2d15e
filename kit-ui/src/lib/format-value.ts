import { formatMoney } from './format-money';
import type { FieldMeta, RecordRef, Tenant } from '@atrium/protocol';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function cached<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (!value) map.set(key, (value = make()));
  return value;
}

/** A date-only value ("2026-03-01") is a calendar day, not an instant: read it in local time. */
function calendarDay(value: string): Date {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d);
}

export function formatDate(value: string, locale: string): string {
  return cached(dateFormats, `${locale}|d`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })).format(calendarDay(value));
}

export function formatDateTime(value: string, locale: string): string {
  return cached(dateFormats, `${locale}|dt`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })).format(
    new Date(value),
  );
}

/** "3 minutes ago", for history entries. */
export function formatRelative(value: string, locale: string, now = Date.now()): string {
  const seconds = Math.round((new Date(value).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['second', 60],
    ['minute', 60],
    ['hour', 24],
    ['day', 7],
    ['week', 4.35],
    ['month', 12],
    ['year', Infinity],
  ];
  let amount = seconds;
  for (const [unit, size] of steps) {
    if (Math.abs(amount) < size)
      return unit === 'second' && Math.abs(amount) < 10 ? format.format(0, 'second') : format.format(Math.round(amount), unit);
    amount /= size;
  }
  return formatDateTime(value, locale);
}

export const refDisplay = (ref: RecordRef): string => ref.display ?? 'Restricted';

/** A field's value as text, in the tenant's locale and currency; empty values are an empty string. */
export function formatValue(field: FieldMeta, value: unknown, tenant: Tenant): string {
  if (value === null || value === undefined || value === '') return '';
  switch (field.kind) {
    case 'decimal':
      return formatMoney(value, tenant);
    case 'integer':
    case 'number':
      return (
        cached(numberFormats, tenant.locale, () => new Intl.NumberFormat(tenant.locale, { maximumFractionDigits: 6 })).format(
          Number(value),
        ) + (field.suffix ?? '')
      );
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'date':
      return formatDate(String(value), tenant.locale);
    case 'datetime':
      return formatDateTime(String(value), tenant.locale);
    case 'selection':
      return field.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'reference':
      return refDisplay(value as RecordRef);
    case 'links':
      return (value as RecordRef[]).map(refDisplay).join(', ');
    case 'lines':
      return `${(value as unknown[]).length} lines`;
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}
