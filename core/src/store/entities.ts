import { EntitySchema, type EntitySchemaMetadata } from '@mikro-orm/postgresql';
import type { Registry } from '../kernel/registry/registry.ts';
import type { FieldDef, ModelDef } from '../kernel/registry/registry-types.ts';
import { typeOf } from '../kernel/field-types/registry.ts';
import { CUSTOM_COLUMN } from '../kernel/system-fields.ts';

type Property = Record<string, unknown>;

/**
 * Decision (see docs/decisions.md): relation columns are plain uuid columns that the core manages, and
 * every foreign key is composite, (tenant_id, <field>_id) → (tenant_id, id). The database itself then
 * refuses a relation into another tenant, and every key starts with tenant_id (distributable by tenant).
 * Module columns are nullable: `required` is enforced on write, so adding a field never breaks old rows.
 * A column's type is its field type's (kernel/field-types).
 */

const uuidKey = (): Property => ({ type: 'uuid', columnType: 'uuid', primary: true });

function reference(target: string, column: string, onDelete: 'restrict' | 'cascade', primary = false): Property {
  return {
    kind: 'm:1',
    entity: target,
    joinColumns: ['tenant_id', column],
    referencedColumnNames: ['tenant_id', 'id'],
    nullable: !primary,
    primary,
    deleteRule: onDelete,
    updateRule: 'no action',
  };
}

/**
 * A GIN trigram index for `$ilike '%text%'` on a text field (pg_trgm, created by migrate.ts). On the column
 * alone: tenant_id (uuid) has no GIN operator class without btree_gin, and the tenant is checked on the heap.
 * MikroORM compares expression indexes by name only, so the name says what it is.
 */
const trigramIndex = (model: ModelDef, field: FieldDef): { name: string; expression: string } => {
  const name = `${model.table}_${field.name}_trgm_idx`;
  return { name, expression: `create index "${name}" on "${model.table}" using gin ("${field.column}" gin_trgm_ops)` };
};

function modelSchema(model: ModelDef): EntitySchema {
  const properties: Record<string, Property> = {
    tenant_id: uuidKey(),
    id: uuidKey(),
    version: { type: 'integer', columnType: 'int', default: 1 },
    created_at: { type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' },
    updated_at: { type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' },
    created_by: { type: 'uuid', columnType: 'uuid', nullable: true },
    updated_by: { type: 'uuid', columnType: 'uuid', nullable: true },
    // The tenant's custom fields, by name (docs/decisions.md, "Custom fields"); never null, so `||` merges.
    [CUSTOM_COLUMN]: { type: 'json', columnType: 'jsonb', defaultRaw: `'{}'`, nullable: false },
  };
  const indexes: { properties?: string[]; name: string; expression?: string }[] = [
    { properties: ['tenant_id', 'created_at'], name: `${model.table}_created_idx` },
  ];
  for (const field of Object.values(model.fields)) {
    const type = typeOf(field);
    if (type.kind === 'reference') {
      properties[field.name] = reference(field.target!, field.column!, field.ondelete === 'cascade' ? 'cascade' : 'restrict');
      indexes.push({ properties: ['tenant_id', field.name], name: `${model.table}_${field.name}_idx` });
    } else if (field.column) {
      properties[field.name] = {
        type: type.kind === 'json' ? 'json' : 'string',
        columnType: type.column,
        fieldName: field.column,
        nullable: true,
      };
      if (field.index === 'trigram') indexes.push(trigramIndex(model, field));
      else if (field.index) indexes.push({ properties: ['tenant_id', field.name], name: `${model.table}_${field.name}_idx` });
    }
  }
  model.indexes.forEach((set, i) => indexes.push({ properties: ['tenant_id', ...set], name: `${model.table}_idx_${i}` }));
  const uniques = model.unique.map((set, i) => ({ properties: ['tenant_id', ...set], name: `${model.table}_unique_${i}` }));
  return new EntitySchema({
    name: model.id,
    tableName: model.table,
    properties,
    indexes,
    uniques,
  } as unknown as EntitySchemaMetadata<unknown>);
}

function joinTableSchema(model: ModelDef, field: FieldDef): EntitySchema {
  return new EntitySchema({
    name: `${model.id}.${field.name}`,
    tableName: field.relTable!,
    properties: {
      tenant_id: uuidKey(),
      source: reference(model.id, 'source_id', 'cascade', true),
      // Never a silent cascade into the holders: the engine takes a deleted target out of them first when
      // the field says "remove"; any link left (restrict, or one added meanwhile) refuses the delete.
      target: reference(field.target!, 'target_id', 'restrict', true),
    },
    indexes: [{ properties: ['tenant_id', 'target'], name: `${field.relTable}_target_idx` }],
  } as unknown as EntitySchemaMetadata<unknown>);
}

/** A stand-in for a core table, so module tables can hold foreign keys to it; the core's own migrations own it. */
function coreTableStub(model: ModelDef): EntitySchema {
  return new EntitySchema({
    name: model.id,
    tableName: model.table,
    properties: { tenant_id: uuidKey(), id: uuidKey() },
  } as unknown as EntitySchemaMetadata<unknown>);
}

/** MikroORM entity schemas for every model the shipped modules declare, built at start-up from the manifests. */
export function entitiesFromRegistry(registry: Registry): EntitySchema[] {
  const schemas: EntitySchema[] = [];
  for (const model of registry.models.values()) {
    if (model.system) {
      schemas.push(coreTableStub(model));
      continue;
    }
    schemas.push(modelSchema(model));
    for (const field of Object.values(model.fields)) if (typeOf(field).kind === 'links') schemas.push(joinTableSchema(model, field));
  }
  return schemas;
}
