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
