import type { FieldDef } from '../../kernel/registry/registry-types.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';

export interface Locale {
  locale: string;
  currency: string;
}

type Ref = { id: string; display?: string | null };

const display = (ref: Ref): string => ref.display ?? '';

/**
 * A field's value as printed text, in the tenant's locale and currency (as the shell's format-value.ts
 * shows it on screen). Money arrives as an exact decimal string, which Intl formats without a float.
 */
export function formatValue(field: FieldDef, value: unknown, { locale, currency }: Locale): string {
  if (value === null || value === undefined || value === '') return '';
  const type = typeOf(field);
  switch (type.kind) {
    case 'decimal':
      return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(String(value) as Intl.StringNumericLiteral);
    case 'integer':
    case 'number':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(Number(value)) + (type.suffix ?? '');
    case 'boolean':
      return value ? 'Yes' : 'No';
    // A date is a calendar day: formatted in UTC, it never moves by the server's time zone.
    case 'date':
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${String(value)}T00:00:00Z`));
    case 'datetime':
      return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(String(value)));
    case 'selection':
      return field.options?.find((o) => o.value === value)?.label ?? String(value);
    case 'reference':
      return display(value as Ref);
    case 'links':
      return (value as Ref[]).map(display).join(', ');
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** Amounts and quantities align right in tables and totals. */
export function alignsRight(field: FieldDef): boolean {
  return ['decimal', 'integer', 'number'].includes(typeOf(field).kind);
}
