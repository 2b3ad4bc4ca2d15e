import { AtriumError, type FieldProblem } from '../../kernel/errors.ts';
import type { RecordData } from '../../kernel/record-types.ts';

/** One row of an import: its number in the file (the header is row 1), the record's id to update, its values. */
export interface ImportRow {
  row: number;
  id?: string;
  values: RecordData;
}

import type { ImportError } from '@atrium/protocol';
export type { ImportError, ImportResult } from '@atrium/protocol';

/** Thrown inside an import's transaction to roll it back (a dry run, or a row failed). */
export class RolledBack extends Error {}

/** A row's refusal as its errors: one per field problem, else one for the row (a 404 names the id). */
export function rowErrors(row: number, error: AtriumError): ImportError[] {
  if (error.key === 'ATR_ERR_VALIDATION' && Array.isArray(error.details)) {
    return (error.details as FieldProblem[]).map((p) => ({ row, field: p.field, message: p.message }));
  }
  if (error.key === 'ATR_ERR_NOT_FOUND') return [{ row, field: 'id', message: 'no record with this id' }];
  const fields = (error.details as { fields?: string[] } | undefined)?.fields;
  return [{ row, field: fields?.[0] ?? null, message: error.message }];
}
