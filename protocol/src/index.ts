/**
 * @atrium/protocol: what the core and the shell must agree on, written once (docs/architecture.md). It
 * imports nothing: the core's kernel and the shell both build on it.
 */
export * from './meta-types.ts';
export * from './filter/condition.ts';
export { matchesCondition, type KindOf } from './filter/filter-match.ts';
export { conditionOf, matchesFilter } from './filter/filter-tree.ts';
export { orderOf, type ValueOrder } from './value-order.ts';
export { insertSorted, recordComparator, type RecordCompare } from './record-order.ts';
export * as money from './money.ts';
export type { ShellHooks, ShellModelHooks, ShellPreviewContext } from './shell-hooks.ts';
export type { ImportError, ImportResult } from './import-result.ts';
export type * from './collaboration.ts';
export type { PlanLimitExceeded, PlanSummary, UsageReport } from './plan-types.ts';
export type { OperatorAction, OperatorAuditEntry, OperatorTenant, TenantStatus } from './operator-types.ts';
export type { FieldProblem } from './field-problem.ts';
