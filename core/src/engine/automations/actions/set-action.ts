import { AtriumError } from '../../../kernel/errors.ts';
import type { RecordData } from '../../../kernel/record-types.ts';
import type { ActionKind } from './action-kind.ts';
import { checkValues, resolveValues } from './action-values.ts';

/** `{"type": "set", "values": {...}}`: writes fields of the triggering record, in the write's transaction. */
export const setAction: ActionKind = {
  type: 'set',
  check(action, { schema, model, trigger, path }) {
    if (trigger.on === 'delete') throw AtriumError.invalidField(`${path}.type`, 'enum', 'a deleted record has no fields to set');
    return { type: 'set', values: checkValues(schema, model, model, action.values, `${path}.values`) };
  },
  async run(action, { model, change, records, unit }) {
    const values = resolveValues(action.values as RecordData, change.record);
    await records.update(model.id, change.record.id as string, values);
    // Created in this same transaction: its creation carries the values (its history shows them from the start).
    const created = unit.events.find((e) => e.op === 'created' && e.id === change.record.id && e.model === model);
    if (created) created.changed = [...new Set([...created.changed, ...Object.keys(values)])];
  },
};
