import { AtriumError } from '../../../kernel/errors.ts';
import type { RecordData } from '../../../kernel/record-types.ts';
import type { ActionKind } from './action-kind.ts';
import { checkValues, resolveValues } from './action-values.ts';

/**
 * `{"type": "create", "model", "values": {...}}`: creates a record (of any enabled model of the tenant), in
 * the write's transaction; `{"$field": …}` and `{"$id": true}` values copy the triggering record.
 */
export const createAction: ActionKind = {
  type: 'create',
  check(action, { schema, model, path }) {
    const target = typeof action.model === 'string' ? schema.model(action.model) : undefined;
    if (!target || target.system) throw AtriumError.invalidField(`${path}.model`, 'model', 'is not a model of an enabled module');
    return { type: 'create', model: target.id, values: checkValues(schema, target, model, action.values, `${path}.values`) };
  },
  async run(action, { change, records }) {
    await records.create(action.model as string, resolveValues(action.values as RecordData, change.record));
  },
};
