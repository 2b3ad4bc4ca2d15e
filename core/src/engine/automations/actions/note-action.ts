import { AtriumError } from '../../../kernel/errors.ts';
import { postMessage } from '../../chatter/chatter-writes.ts';
import { notifyPosted } from '../../chatter/chatter-notices.ts';
import type { ActionKind } from './action-kind.ts';
import { checkText, fillTemplate } from './action-values.ts';

/**
 * `{"type": "note", "body"}`: an internal note in the triggering record's chatter (`{{field}}` filled from
 * the record), written by the system in the write's transaction; the users it mentions are notified. Only
 * on a model that has a chatter.
 */
export const noteAction: ActionKind = {
  type: 'note',
  check(action, { model, trigger, path }) {
    if (!model.chatter) throw AtriumError.invalidField(`${path}.type`, 'chatter', `${model.label} has no chatter to post a note in`);
    if (trigger.on === 'delete') throw AtriumError.invalidField(`${path}.type`, 'trigger', 'a deleted record has no chatter left');
    return { type: 'note', body: checkText(action.body, `${path}.body`, 20_000) };
  },
  async run(action, { model, change, tenantId, unit, announcer }) {
    const target = { tenantId, model, recordId: change.record.id as string };
    const posted = await postMessage(
      unit.tx,
      target,
      { userId: null },
      { kind: 'note', body: fillTemplate(action.body as string, change.record) },
    );
    notifyPosted(unit.tx, announcer, target, null, posted);
  },
};
