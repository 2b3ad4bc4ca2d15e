import { containsText } from './filter-build';
import { isPeriod, periodFilter, PERIODS } from './date-periods';
import type { FieldMeta, Filter, ValueKind } from '@atrium/protocol';

/** A condition of the custom filter builder: a field, an operator that suits its kind, a value. */
export interface CustomCondition {
  field: string;
  op: string;
  value?: string;
}

const ORDERED = { eq: 'is', ne: 'is not', gt: 'is more than', gte: 'is at least', lt: 'is less than', lte: 'is at most' };
const SET = { set: 'is set', unset: 'is not set' };

/** The operators the builder offers for a kind of value, with their labels. */
export function operatorsFor(kind: ValueKind): Record<string, string> {
  switch (kind) {
    case 'text':
      return { contains: 'contains', eq: 'is', ne: 'is not', ...SET };
    case 'integer':
    case 'number':
    case 'decimal':
      return { ...ORDERED, ...SET };
    case 'date':
    case 'datetime':
      return { period: 'is in', gte: 'is on or after', lt: 'is before', ...SET };
    case 'selection':
      return { eq: 'is', ne: 'is not', ...SET };
    case 'boolean':
      return { true: 'is yes', false: 'is no' };
    case 'reference':
      return { contains: 'contains', ...SET };
    default:
      return {};
  }
}

/** Fields a condition can be built on: those whose kind has operators. */
export const filterableFields = (fields: Record<string, FieldMeta>): string[] =>
  Object.keys(fields).filter((name) => Object.keys(operatorsFor(fields[name].kind)).length > 0);

/** Whether the operator takes a value typed by the user. */
export const takesValue = (op: string): boolean => !['set', 'unset', 'true', 'false'].includes(op);

/** The condition in the records API's language; undefined when it is incomplete or names an unknown field. */
export function conditionFilter(condition: CustomCondition, fields: Record<string, FieldMeta>): Filter | undefined {
  const field = fields[condition.field];
  if (!field || !(condition.op in operatorsFor(field.kind))) return undefined;
  const { op, value } = condition;
  const name = condition.field;
  if (op === 'set' || op === 'unset') return { [name]: { $null: op === 'unset' } };
  if (op === 'true' || op === 'false') return { [name]: op === 'true' };
  if (value === undefined || value === '') return undefined;
  if (op === 'contains') return containsText(name, value);
  if (op === 'period') return isPeriod(value) ? periodFilter(name, value, field.kind === 'datetime') : undefined;
  const numeric = field.kind === 'integer' || field.kind === 'number';
  return { [name]: { [`$${op}`]: numeric ? Number(value) : value } };
}

/** "Customer contains azure", for the chip that shows the condition. */
export function conditionLabel(condition: CustomCondition, fields: Record<string, FieldMeta>): string {
  const field = fields[condition.field];
  if (!field) return condition.field;
  const op = operatorsFor(field.kind)[condition.op] ?? condition.op;
  if (!takesValue(condition.op)) return `${field.label} ${op}`;
  const value =
    condition.op === 'period' && isPeriod(condition.value)
      ? PERIODS[condition.value].toLowerCase()
      : field.kind === 'selection'
        ? (field.options?.find((o) => o.value === condition.value)?.label ?? condition.value)
        : condition.value;
  return `${field.label} ${op} ${value}`;
}
