/** A record as the API reads and writes it: field name → value. */
export type RecordData = Record<string, unknown>;

/** What hooks know of one model: its records as read, the values a write takes, each action's parameters. */
export interface ModelShape {
  record: RecordData;
  values: RecordData;
  params: Record<string, RecordData>;
}

/**
 * Model id → its shape. A module's own (`Models` in its models.generated.ts, from `npm run types`) names
 * every field; the default knows none in detail.
 */
export type ModelShapes = Record<string, ModelShape>;

/** The model ids of a set of shapes. */
export type ModelId<T extends ModelShapes> = keyof T & string;

/**
 * The tenant's records as hooks see them: inside the current transaction, with tenant isolation and
 * row-level security, but without the acting user's role rules (as Odoo's sudo(), within one tenant).
 * Writes made here are validated, versioned and emit events like any other.
 */
export interface TenantRecords<T extends ModelShapes = ModelShapes> {
  find<M extends ModelId<T>>(
    model: M,
    filter?: Record<string, unknown>,
    options?: { sort?: string; limit?: number },
  ): Promise<T[M]['record'][]>;
  get<M extends ModelId<T>>(model: M, id: string): Promise<T[M]['record'] | null>;
  create<M extends ModelId<T>>(model: M, values: T[M]['values']): Promise<T[M]['record']>;
  update<M extends ModelId<T>>(model: M, id: string, values: T[M]['values']): Promise<T[M]['record']>;
  /** The next number of a per-tenant counter (1, 2, 3, …); concurrent callers never get the same one. */
  nextSequence(name: string): Promise<number>;
}
