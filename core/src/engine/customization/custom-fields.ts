import { randomUUID } from 'node:crypto';
import { AtriumError } from '../../kernel/errors.ts';
import { customFieldDef, type CustomFieldRow } from '../../kernel/registry/custom-fields.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { CUSTOM_COLUMN } from '../../kernel/system-fields.ts';
import { ident, literal, raw, sql, type Sql } from '../../store/sql.ts';
import type { Platform } from '../platform.ts';
import type { RecordService } from '../records/record-service.ts';
import { checkedDefinition, schemaWith, type CustomFieldInput } from './custom-field-definition.ts';
import { dropCustomFieldIndex, indexCustomField } from './custom-field-index.ts';
import { activeCustomFieldsSql, customFieldSql } from './custom-field-store.ts';
import { announceMetaChanged } from '../meta-changed.ts';

/** A definition as the API returns it (docs/api.md, "Custom fields"): the stored row, its default as `default`. */
export type CustomFieldView = Omit<CustomFieldRow, 'default_value'> & { default: unknown };

/** What a definition's event names as changed (model and name never change after its creation). */
const DEFINITION_FIELDS = ['type', 'label', 'help', 'required', 'default_value', 'options', 'model_ref', 'active'];

export const viewOf = ({ default_value, ...row }: CustomFieldRow): CustomFieldView => ({ ...row, default: default_value });
const rowOf = ({ default: default_value, ...view }: CustomFieldView): CustomFieldRow => ({ ...view, default_value });

/** What PATCH /api/admin/custom-fields/ID may change. */
export type CustomFieldChanges = Partial<Pick<CustomFieldInput, 'label' | 'help' | 'required' | 'options'>>;

/** What a change did, for what runs after it commits (customFieldsChanged). */
export interface CustomFieldChange {
  op: 'created' | 'updated' | 'removed';
  field: CustomFieldView;
}

type StoredRow = CustomFieldRow & { active: boolean };

const fieldSet = (row: CustomFieldRow, user: string | null): Sql =>
  sql`type = ${row.type}, label = ${row.label}, help = ${row.help}, required = ${row.required},
    default_value = ${JSON.stringify(row.default_value)}::jsonb, options = ${JSON.stringify(row.options)}::jsonb,
    model_ref = ${row.model_ref}, active = true, version = version + 1, updated_at = now(), updated_by = ${user}::uuid`;

/**
 * A tenant's custom fields, defined by its admins: each change is a write of the core model
 * core.custom_field (its event and history in the same transaction), checked against the tenant's
 * schema as it will be with the change, so a definition the record path could not serve never commits.
 */
export class CustomFields {
  constructor(
    private readonly records: RecordService,
    private readonly schema: TenantSchema,
    private readonly tenantId: string,
    private readonly userId: string | null,
  ) {}

  async list(): Promise<CustomFieldView[]> {
    return this.records.write.coreTransaction(async (unit) =>
      (await unit.tx.rows<CustomFieldRow>(activeCustomFieldsSql(this.tenantId))).map(viewOf),
    );
  }

  /**
   * Adds a field; 409 when the model has an active one of that name. A removed one of that name is
   * brought back (same id): with the same type its values come back, with another they are cleared.
   */
  async create(input: CustomFieldInput): Promise<CustomFieldChange> {
    const { write } = this.records;
    const row = checkedDefinition(this.schema, randomUUID(), input);
    return write.coreTransaction(async (unit) => {
      const [existing] = await unit.tx.rows<StoredRow>(customFieldSql(this.tenantId, { model: row.model, name: row.name }));
      if (existing?.active) throw AtriumError.conflict(`${row.model} already has a field "${row.name}"`, { field: 'name' });
      const stored = existing ? { ...row, id: existing.id } : row;
      schemaWith(this.schema, await unit.tx.rows<CustomFieldRow>(activeCustomFieldsSql(this.tenantId)), stored, this.tenantId);
      const statements: Sql[] = [];
      if (existing) {
        if (existing.type !== row.type || existing.model_ref !== row.model_ref) statements.push(this.clearValues(row));
        statements.push(
          sql`UPDATE core_custom_fields SET ${fieldSet(stored, this.userId)} WHERE tenant_id = ${this.tenantId}::uuid AND id = ${stored.id}::uuid`,
        );
        write.touched(unit, 'core.custom_field', stored.id, 'updated', DEFINITION_FIELDS);
      } else {
        statements.push(sql`INSERT INTO core_custom_fields (tenant_id, id, model, name, type, label, help, required, default_value, options, model_ref, created_by, updated_by)
          VALUES (${this.tenantId}::uuid, ${row.id}::uuid, ${row.model}, ${row.name}, ${row.type}, ${row.label}, ${row.help}, ${row.required},
            ${JSON.stringify(row.default_value)}::jsonb, ${JSON.stringify(row.options)}::jsonb, ${row.model_ref}, ${this.userId}::uuid, ${this.userId}::uuid)`);
        write.touched(unit, 'core.custom_field', row.id, 'created', ['model', 'name', ...DEFINITION_FIELDS]);
      }
      await write.commitWithResults(unit, ...statements);
      return { op: 'created', field: viewOf(stored) };
    });
  }

  /** Changes the label, help, required or options of an active field (404 otherwise). */
  async update(id: string, changes: CustomFieldChanges): Promise<CustomFieldChange> {
    const { write } = this.records;
    return write.coreTransaction(async (unit) => {
      const [existing] = await unit.tx.rows<StoredRow>(customFieldSql(this.tenantId, { id }));
      if (!existing?.active) throw AtriumError.notFound();
      const { active: _active, ...current } = existing;
      const next: CustomFieldRow = {
        ...current,
        ...changes,
        help: changes.help === undefined ? current.help : changes.help,
        options: changes.options ?? current.options,
      };
      if (changes.options !== undefined)
        checkedDefinition(this.schema, id, { ...next, help: next.help, options: changes.options, model_ref: next.model_ref ?? undefined });
      schemaWith(this.schema, await unit.tx.rows<CustomFieldRow>(activeCustomFieldsSql(this.tenantId)), next, this.tenantId);
      write.touched(unit, 'core.custom_field', id, 'updated', Object.keys(changes));
      await write.commitWithResults(
        unit,
        sql`UPDATE core_custom_fields SET ${fieldSet(next, this.userId)} WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid`,
      );
      return { op: 'updated', field: viewOf(next) };
    });
  }

  /** Hides the field; every record keeps its value (404 when it is not active). */
  async remove(id: string): Promise<CustomFieldChange> {
    const { write } = this.records;
    return write.coreTransaction(async (unit) => {
      const [existing] = await unit.tx.rows<StoredRow>(customFieldSql(this.tenantId, { id }));
      if (!existing?.active) throw AtriumError.notFound();
      write.touched(unit, 'core.custom_field', id, 'updated', ['active']);
      await write.commitWithResults(
        unit,
        sql`UPDATE core_custom_fields SET active = false, version = version + 1, updated_at = now(), updated_by = ${this.userId}::uuid
          WHERE tenant_id = ${this.tenantId}::uuid AND id = ${id}::uuid`,
      );
      const { active: _active, ...row } = existing;
      return { op: 'removed', field: viewOf(row) };
    });
  }

  /** A field re-created with another type (or target) starts empty: the old values would not be of its type. */
  private clearValues(row: CustomFieldRow): Sql {
    const table = this.schema.registry.model(row.model)!.table;
    const key = raw(literal(row.name));
    return sql`UPDATE ${ident(table)} SET ${raw(CUSTOM_COLUMN)} = ${raw(CUSTOM_COLUMN)} - ${key}
      WHERE tenant_id = ${this.tenantId}::uuid AND ${raw(CUSTOM_COLUMN)} -> ${key} IS NOT NULL`;
  }
}

/**
 * Runs after a definition committed, on the node that wrote it: every node drops the tenant's cached
 * schema and the tenant's open shells are told `meta_changed` (announceMetaChanged), so the next request
 * anywhere sees the change; then the field's index is built or dropped.
 */
export async function customFieldsChanged(platform: Platform, tenantId: string, change: CustomFieldChange): Promise<void> {
  await announceMetaChanged(platform.bus, tenantId);
  const { field } = change;
  if (change.op === 'updated') return;
  const model = platform.registry.model(field.model)!;
  try {
    if (change.op === 'removed') await dropCustomFieldIndex(platform.db, field.id);
    else await indexCustomField(platform.db, tenantId, field.id, model, customFieldDef(rowOf(field), model));
  } catch (error) {
    // The field works without its index, only slower on big tenants: worth a warning, not a failed request.
    platform.log.warn({ err: error, field: field.name }, 'custom field index not changed');
  }
}
