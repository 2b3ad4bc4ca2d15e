/** Columns the core adds to every model; clients read them and never write them. */
export type SystemFieldType = 'uuid' | 'integer' | 'timestamp';

export const SYSTEM_FIELDS: Record<string, SystemFieldType> = {
  id: 'uuid',
  version: 'integer',
  created_at: 'timestamp',
  updated_at: 'timestamp',
  created_by: 'uuid',
  updated_by: 'uuid',
};

export const isSystemField = (name: string): boolean => Object.hasOwn(SYSTEM_FIELDS, name);

/**
 * The jsonb column of every module model's table that holds the tenant's custom fields' values, by field
 * name (a custom field's name starts with `x_`, so no declared field is ever called like it).
 */
export const CUSTOM_COLUMN = 'custom';
