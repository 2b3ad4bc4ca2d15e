import { AtriumError } from '../kernel/errors.ts';
import { type Refusal, refusalOf } from '../kernel/refusals.ts';
import type { PlanLimitExceeded } from '@atrium/protocol';

/** What node-postgres attaches to a server error (the fields we read). */
interface PgError {
  code?: string;
  table?: string;
  column?: string;
  constraint?: string;
  detail?: string;
  message?: string;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused|not queryable/i;

// Tables are <module>_<model> (module names have no underscore) and many2one columns are <field>_id,
// so a constraint's table and columns name the model and field without a look-up.
const modelOf = (table: string | undefined): string => (table ? table.replace('_', '.').replace(/__.*$/, '') : 'record');
const fieldOf = (column: string): string => column.replace(/_id$/, '');

function keyColumns(detail: string | undefined): string[] {
  const match = detail?.match(/^Key \(([^)]*)\)/);
  return match
    ? match[1]
        .split(',')
        .map((c) => c.trim())
        .filter((c) => c !== 'tenant_id')
    : [];
}

/** The limit a `plan_limit` refusal names (its detail is the 402's entry as JSON; none if it is not). */
function limitsOf(detail: string): PlanLimitExceeded[] {
  try {
    const limit = JSON.parse(detail) as PlanLimitExceeded;
    return limit && typeof limit === 'object' ? [limit] : [];
  } catch {
    return [];
  }
}

function refusalError(refusal: Refusal): AtriumError | Refusal {
  switch (refusal.reason) {
    case 'module_off':
      return AtriumError.moduleDisabled(refusal.detail);
    case 'relation':
      return AtriumError.invalidField(refusal.detail, 'relation', 'refers to a record that does not exist or that you may not see');
    case 'line':
      return AtriumError.invalidField(refusal.detail, 'line', 'names a line that does not belong to this record');
    case 'plan_limit':
      return AtriumError.planLimit(limitsOf(refusal.detail));
    case 'last_admin':
      return AtriumError.conflict('The company must keep at least one active administrator');
    default:
      return refusal;
  }
}

export function isConnectionError(error: unknown): boolean {
  const e = error as PgError;
  return CONNECTION_CODES.has(e?.code ?? '') || CONNECTION_MESSAGES.test(e?.message ?? '');
}

/**
 * The one place where database errors become API errors. Driver messages never reach a client: they can
 * carry SQL, values of other rows, or table layouts.
 */
export function translateDatabaseError(error: unknown): unknown {
  if (error instanceof AtriumError) return error;
  const e = error as PgError;
  if (isConnectionError(error)) return AtriumError.unavailable();
  // Refusals raised by core_expect() inside a write, by their code (see kernel/refusals.ts). `no_row` and
  // `rule_after` stay Refusals: the writer explains them with a read (see RecordWriter.explainRefusal).
  const refusal = refusalOf(error);
  if (refusal) return refusalError(refusal);
  switch (e?.code) {
    case '23505': {
      const fields = keyColumns(e.detail).map(fieldOf);
      return AtriumError.conflict(`Another ${modelOf(e.table)} already has this ${fields.join(', ') || 'value'}`, { fields });
    }
    case '23001': // restrict_violation: ON DELETE RESTRICT
    case '23503': {
      if (e.code === '23001' || /is still referenced/.test(e.detail ?? '')) {
        const by = e.detail?.match(/from table "([^"]+)"/)?.[1] ?? e.message?.match(/on table "([^"]+)"$/)?.[1];
        return AtriumError.conflict(`This record is still referenced by ${modelOf(by)} records`);
      }
      // A many2many join table (<table>__<field>) names its field; elsewhere the constraint
      // "<table>_tenant_id_<column>_foreign" does (with RLS, PostgreSQL leaves the key out of the detail).
      const column = e.constraint?.startsWith(`${e.table}_tenant_id_`)
        ? e.constraint.slice(`${e.table}_tenant_id_`.length).replace(/_foreign$/, '')
        : keyColumns(e.detail)[0];
      const field = e.table?.includes('__') ? e.table.split('__')[1] : fieldOf(column ?? 'relation');
      return AtriumError.invalidField(field, 'relation', 'refers to a record that does not exist');
    }
    case '23502':
      return AtriumError.invalidField(fieldOf(e.column ?? 'field'), 'required', 'is required');
    case '23514':
      return AtriumError.invalidField(e.constraint ?? 'record', 'check', 'violates a constraint');
    case '22001':
      return AtriumError.invalidField('value', 'maxLength', 'is too long');
    case '22003':
      return AtriumError.invalidField('value', 'range', 'is out of range');
    case '22P02':
    case '22007':
    case '22008':
    case '22023':
      return AtriumError.invalidField('value', 'format', 'has an invalid format');
    case '42501':
      // The runtime role hit row-level security: the row belongs to no visible tenant. (Any other
      // privilege error is a bug in the core and stays a 500.)
      return /row-level security/.test(e.message ?? '') ? AtriumError.notFound() : error;
    case '40001':
    case '40P01':
      return AtriumError.conflict('The record was changed by someone else at the same time; try again');
    default:
      return error;
  }
}
