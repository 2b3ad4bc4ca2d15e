import { createMongoAbility, detectSubjectType, subject, type MongoAbility } from '@casl/ability';
import { unpackRules, type PackRule } from '@casl/ability/extra';
import { kindsOf, matchesFilter, type Filter, type Meta, type ModelMeta, type RecordData } from '@atrium/protocol';

export type Ability = MongoAbility;

/**
 * The user's ability from the packed CASL rules of `/api/me`. Rule conditions are in the records API's
 * filter language (as the server's are), so they are matched by the server's matcher, with the kinds of
 * the fields of the record's model (`models` of `/api/meta`). The shell only uses it to hide what would
 * be refused: the server decides.
 */
export function abilityFromPacked(packed: unknown[], models: Meta['models']): Ability {
  return createMongoAbility(unpackRules(packed as PackRule<never>[]), {
    conditionsMatcher: (conditions) => (record: Record<string, unknown>) =>
      matchesFilter(conditions as Filter, record, kindsOf(models[detectSubjectType(record) as string] ?? { fields: {} })),
  });
}

/** May the user do `action` (on this record, to this field)? Without a record: on some record of the model. */
export function can(ability: Ability | null, action: string, model: string, record?: RecordData | null, field?: string): boolean {
  if (!ability) return false;
  return record ? ability.can(action, subject(model, { ...record }), field) : ability.can(action, model, field);
}

/** May the user write this field, on this record (or on a new one)? */
export function canWriteField(
  ability: Ability | null,
  modelId: string,
  model: ModelMeta,
  field: string,
  record: RecordData | null,
): boolean {
  const meta = model.fields[field];
  if (!meta || meta.readonly) return false;
  return record
    ? model.can.update && can(ability, 'update', modelId, record, field)
    : model.can.create && can(ability, 'create', modelId, null, field);
}
