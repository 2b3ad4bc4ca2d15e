/** A record as the API reads and writes it: field name → value. */
export type RecordData = Record<string, unknown>;

/**
 * The tenant's records as hooks see them: inside the current transaction, with tenant isolation and
 * row-level security, but without the acting user's role rules (as Odoo's sudo(), within one tenant).
 * Writes made here are validated, versioned and emit events like any other.
 */
export interface TenantRecords {
  find(model: string, filter?: Record<string, unknown>, options?: { sort?: string; limit?: number }): Promise<RecordData[]>;
  get(model: string, id: string): Promise<RecordData | null>;
  create(model: string, values: RecordData): Promise<RecordData>;
  update(model: string, id: string, values: RecordData): Promise<RecordData>;
  /** The next number of a per-tenant counter (1, 2, 3, …); concurrent callers never get the same one. */
  nextSequence(name: string): Promise<number>;
}
