import { AtriumError, type FieldProblem } from '../../kernel/errors.ts';
import { fieldTypeNames, typeOf } from '../../kernel/field-types/registry.ts';
import type { CustomFieldRow } from '../../kernel/registry/custom-fields.ts';
import type { SelectionOption } from '../../kernel/registry/registry-types.ts';
import { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { validateBody } from '../records/body-schema.ts';

/** What POST /api/admin/custom-fields takes (docs/api.md). */
export interface CustomFieldInput {
  model: string;
  name: string;
  type: string;
  label: string;
  required?: boolean;
  help?: string | null;
  default?: unknown;
  options?: SelectionOption[];
  model_ref?: string;
}

/** Kinds a custom field cannot be: their values live in other rows (a join table, lines), not in the record. */
const ELSEWHERE = new Set(['links', 'lines']);

/** The row a create stores, checked against the tenant's schema: 400 naming the body's field otherwise. */
export function checkedDefinition(schema: TenantSchema, id: string, input: CustomFieldInput): CustomFieldRow {
  const problems: FieldProblem[] = [];
  const problem = (field: string, rule: string, message: string): void => void problems.push({ field, rule, message });
  const model = schema.model(input.model);
  if (!model || model.system) problem('model', 'model', `unknown model "${input.model}"`);
  const known = fieldTypeNames(schema.enabled).includes(input.type);
  if (!known) problem('type', 'type', `unknown field type "${input.type}"`);
  else if (ELSEWHERE.has(typeOf(input).kind))
    problem('type', 'type', `a custom field cannot be a ${input.type} (its values live in other rows)`);
  const kind = known ? typeOf(input).kind : undefined;
  if (kind === 'selection' && !input.options?.length) problem('options', 'required', 'a selection lists its options');
  if (kind !== 'selection' && input.options !== undefined) problem('options', 'type', `only a selection has options`);
  if (input.options && new Set(input.options.map((o) => o.value)).size !== input.options.length)
    problem('options', 'unique', 'option values must be distinct');
  if (kind === 'reference') {
    const target = input.model_ref === undefined ? undefined : schema.model(input.model_ref);
    if (!target) problem('model_ref', input.model_ref === undefined ? 'required' : 'model', `names the related model, one of the tenant's`);
  } else if (input.model_ref !== undefined) problem('model_ref', 'type', 'only a many2one relates to a model');
  if (problems.length > 0) throw AtriumError.validation(problems);
  return {
    id,
    model: input.model,
    name: input.name,
    type: input.type,
    label: input.label,
    help: input.help ?? null,
    required: input.required ?? false,
    default_value: input.default ?? null,
    options: input.options ?? null,
    model_ref: input.model_ref ?? null,
  };
}

/**
 * The tenant's schema with `row` in force, after checking what only the field itself can judge: a
 * selection's default among its options, a default of the field's type (validated as a write would be).
 */
export function schemaWith(schema: TenantSchema, others: CustomFieldRow[], row: CustomFieldRow, tenantId: string): TenantSchema {
  const next = new TenantSchema(schema.registry, schema.enabled, [...others.filter((o) => o.id !== row.id), row], tenantId);
  const model = next.model(row.model)!;
  const field = model.fields[row.name];
  const problems: FieldProblem[] = (typeOf(field).declarationProblems?.(field) ?? []).map(([path, message]) => ({
    field: path.replace(/^\//, '') || 'default',
    rule: 'declaration',
    message,
  }));
  if (problems.length > 0) throw AtriumError.validation(problems);
  if (row.default_value !== null) {
    try {
      validateBody(next, model, 'patch', { [row.name]: row.default_value });
    } catch (error) {
      if (error instanceof AtriumError) throw AtriumError.invalidField('default', 'type', `is not a valid ${row.type} value`);
      throw error;
    }
  }
  return next;
}
