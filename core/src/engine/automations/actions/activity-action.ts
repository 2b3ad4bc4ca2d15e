import { AtriumError } from '../../../kernel/errors.ts';
import type { RecordData } from '../../../kernel/record-types.ts';
import { ACTIVITY_TYPES, scheduleActivity } from '../../chatter/chatter-writes.ts';
import { notifyScheduled } from '../../chatter/chatter-notices.ts';
import type { ActionKind } from './action-kind.ts';
import { checkText, fillTemplate, resolveValues } from './action-values.ts';

/** The date `days` from today (UTC), as YYYY-MM-DD. */
const dayFromToday = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * `{"type": "activity", "activity_type": "todo" | "call" | …, "summary", "due_in_days": N, "assigned_to":
 * "<user id>" | {"$field": "salesperson"}}`: schedules an activity on the triggering record, due N days after
 * the write, for a user (or the user a field of the record names), who is notified. Only on a model that has a chatter.
 */
export const activityAction: ActionKind = {
  type: 'activity',
  check(action, { model, trigger, path }) {
    if (!model.chatter)
      throw AtriumError.invalidField(`${path}.type`, 'chatter', `${model.label} has no chatter to schedule an activity in`);
    if (trigger.on === 'delete') throw AtriumError.invalidField(`${path}.type`, 'trigger', 'a deleted record has no activities left');
    if (!(ACTIVITY_TYPES as readonly string[]).includes(action.activity_type as string))
      throw AtriumError.invalidField(`${path}.activity_type`, 'enum', `must be one of ${ACTIVITY_TYPES.join(', ')}`);
    const days = action.due_in_days ?? 0;
    if (!Number.isInteger(days) || Math.abs(days as number) > 3650)
      throw AtriumError.invalidField(`${path}.due_in_days`, 'type', 'must be a whole number of days (at most 3650)');
    const assignee = action.assigned_to as unknown;
    const field = assignee !== null && typeof assignee === 'object' ? (assignee as RecordData).$field : undefined;
    const named = typeof field === 'string' && model.fields[field]?.target === 'core.user';
    if (!named && !(typeof assignee === 'string' && /^[0-9a-f-]{36}$/i.test(assignee)))
      throw AtriumError.invalidField(`${path}.assigned_to`, 'type', `must be a user's id or {"$field": <a user field of ${model.label}>}`);
    const summary = checkText(action.summary, `${path}.summary`, 500);
    return { type: 'activity', activity_type: action.activity_type, summary, due_in_days: days, assigned_to: assignee };
  },
  async run(action, { model, change, tenantId, unit, announcer }) {
    const { assigned_to } = resolveValues({ assigned_to: action.assigned_to } as RecordData, change.record);
    const target = { tenantId, model, recordId: change.record.id as string };
    const scheduled = await scheduleActivity(
      unit.tx,
      target,
      { userId: null },
      {
        type: action.activity_type as string,
        summary: fillTemplate(action.summary as string, change.record),
        due: dayFromToday(action.due_in_days as number),
        assigned_to: assigned_to as string,
      },
    );
    notifyScheduled(unit.tx, announcer, target, null, scheduled);
  },
};
