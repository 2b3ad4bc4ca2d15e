import { matchesCondition as matches, type Condition, type KindOf } from '@atrium/protocol';
import type { ModelDef } from '../registry/registry-types.ts';
import type { RecordData } from '../record-types.ts';
import { typeOfField } from '../field-types/registry.ts';

/** The kind of each field of a model, system fields included (a parsed condition names only fields it has). */
export const kindsOfModel =
  (model: ModelDef): KindOf =>
  (field) =>
    typeOfField(model, field)!.kind;

/**
 * Does a record (as the API shapes it) match a parsed condition? The one matcher of @atrium/protocol, which
 * the shell uses too, with the kinds of the model's fields: record rules, live events and actions' `when`.
 */
export const matchesCondition = (model: ModelDef, condition: Condition, record: RecordData): boolean =>
  matches(condition, record, kindsOfModel(model));
