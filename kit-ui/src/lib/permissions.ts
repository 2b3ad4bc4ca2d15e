import { createMongoAbility, subject, type MongoAbility } from '@casl/ability';
import { unpackRules, type PackRule } from '@casl/ability/extra';
import { matchesFilter } from './filter-match';
import type { Filter, ModelMeta, RecordData } from './meta-types';

export type Ability = MongoAbility;

/**
 * The user's ability from the packed CASL rules of `/api/me`. Rule conditions are in the records API's
 * filter language (as the server's are), so they are matched with the same semantics. The shell only
 * uses it to hide what would be refused: the server decides.
 */
export function abilityFromPacked(packed: unknown[]): Ability {
  return createMongoAbility(unpackRules(packed as PackRule<never>[]), {
    conditionsMatcher: (conditions) => (record: Record<string, unknown>) => matchesFilter(conditions as Filter, record),
  });
}

/** May the user do `action` (on this record, to this field)? Without a record: on some record of the model. */
export function can(ability: Ability | null, action: string, model: string, record?: RecordData | null, field?: string): boolean {
  if (!ability) return false;
  return record ? ability.can(action, subject(model, { ...record }), field) : ability.can(action, model, field);
}

/** May the user write this field, on this record (or on a new one)? */
export function canWriteField(ability: Ability | null, modelId: string, model: ModelMeta, field: string, record: RecordData | null): boolean {
  const meta = model.fields[field];
  if (!meta || meta.readonly) return false;
  return record ? model.can.update && can(ability, 'update', modelId, record, field) : model.can.create && can(ability, 'create', modelId, null, field);
}
