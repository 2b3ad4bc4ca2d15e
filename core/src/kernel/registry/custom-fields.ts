import type { FieldDef, ModelDef, SelectionOption } from './registry-types.ts';
import { fieldDef } from './registry.ts';

/** A custom field's name: `x_` first, so it never collides with a module's field (docs/api.md). */
export const CUSTOM_FIELD_NAME = '^x_[a-z0-9_]{1,40}$';

/** A tenant's custom field as stored in core_custom_fields (see migration 0014). */
export interface CustomFieldRow {
  id: string;
  model: string;
  name: string;
  type: string;
  label: string;
  help: string | null;
  required: boolean;
  default_value: unknown;
  options: SelectionOption[] | null;
  model_ref: string | null;
}

/** The field a definition adds to `model`, built as a declared one is, marked `custom`. */
export function customFieldDef(row: CustomFieldRow, model: ModelDef): FieldDef {
  const def = fieldDef(
    row.name,
    model,
    {
      type: row.type,
      label: row.label,
      help: row.help ?? undefined,
      required: row.required,
      default: row.default_value ?? undefined,
      options: row.options ?? undefined,
      model: row.model_ref ?? undefined,
    },
    model.module,
    [],
    `/custom-fields/${row.id}`,
  );
  return { ...def, custom: true };
}
