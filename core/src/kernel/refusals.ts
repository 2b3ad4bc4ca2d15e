/**
 * Every reason a statement of a write refuses to go on, with the SQLSTATE it raises (class "AT", Atrium's
 * own). SQL raises them with `core_expect(ok, code, detail)` (migrations/core/0008_refusal_codes.sql), built
 * by store/refusal-sql.ts from this catalogue; the core reads the code and the DETAIL the driver exposes,
 * never the message text.
 */
export const REFUSALS = {
  /** An UPDATE or DELETE matched no row: another tenant's, hidden by a rule, or a stale version (detail: none). */
  no_row: 'AT001',
  /** After an update the record would leave the user's update rule (detail: none). */
  rule_after: 'AT002',
  /** A relation names a record that does not exist or that the user may not read (detail: the field path). */
  relation: 'AT003',
  /** A one2many line named by id belongs to another record (detail: the field). */
  line: 'AT004',
  /** The model's module was switched off meanwhile (detail: the module). */
  module_off: 'AT005',
  /** The change would leave the tenant without an active administrator (detail: none). */
  last_admin: 'AT006',
  /** The write would take the tenant over a limit of its plan (detail: `{limit, max, current, model?}` as JSON). */
  plan_limit: 'AT007',
  /** A record a hook was served from the node's cache has changed since (detail: the model; see hook-read-cache.ts). */
  stale_read: 'AT008',
} as const;

export type RefusalReason = keyof typeof REFUSALS;

const byCode = new Map<string, RefusalReason>(Object.entries(REFUSALS).map(([reason, code]) => [code, reason as RefusalReason]));

/** A refusal raised by the database, decoded: which one, and what it concerns. */
export class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly detail: string,
  ) {
    super(`refused: ${reason}${detail ? ` (${detail})` : ''}`);
    this.name = 'Refusal';
  }
}

/** The refusal a driver error carries (by its SQLSTATE and DETAIL), if it is one. */
export function refusalOf(error: unknown): Refusal | undefined {
  const { code, detail } = (error ?? {}) as { code?: unknown; detail?: unknown };
  const reason = typeof code === 'string' ? byCode.get(code) : undefined;
  return reason ? new Refusal(reason, typeof detail === 'string' ? detail : '') : undefined;
}
