import { AtriumError } from '../../kernel/errors.ts';
import type { Transaction } from '../../store/database.ts';
import { recordScope, type Platform } from '../platform.ts';
import type { RecordScope } from '../records/record-context.ts';
import { tenantStateOf, tenantStateSql } from './tenant-state.ts';

/**
 * The core acting inside a tenant, outside any request (mail accepted, a time-based automation): the
 * tenant and its schema — enabled modules, custom fields, view patches — as the transaction reads them,
 * no user, no ability (tenant isolation and row-level security still apply).
 */
export async function tenantSystemScope(platform: Platform, tx: Transaction, tenantId: string): Promise<RecordScope> {
  const state = tenantStateOf(platform.schemas, tenantId, await tx.query(...tenantStateSql(tenantId)));
  if (!state) throw AtriumError.notFound('No such tenant');
  return recordScope(platform, { tenant: state.tenant, schema: state.schema });
}
