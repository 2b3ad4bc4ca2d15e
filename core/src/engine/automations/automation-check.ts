import { AtriumError } from '../../kernel/errors.ts';
import { checkFilter } from '../../kernel/filter/filter-language.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import { ACTION_KINDS } from './actions/registry.ts';
import type { ActionSpec, Automation, Trigger } from './automation-types.ts';

const TRIGGERS = ['create', 'update', 'create_or_update', 'delete', 'time'] as const;
const MAX_ACTIONS = 20;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function checkTrigger(schema: TenantSchema, modelId: string, input: unknown): Trigger {
  const model = schema.model(modelId)!;
  if (!isObject(input)) throw AtriumError.invalidField('trigger', 'type', 'must be an object');
  const unknown = Object.keys(input).find((k) => !['on', 'fields', 'when', 'field', 'offset_days'].includes(k));
  if (unknown) throw AtriumError.invalidField(`trigger.${unknown}`, 'additionalProperties', 'is not a trigger property');
  const on = input.on as Trigger['on'];
  if (!TRIGGERS.includes(on)) throw AtriumError.invalidField('trigger.on', 'enum', `must be one of ${TRIGGERS.join(', ')}`);
  const trigger: Trigger = { on };
  if (input.fields !== undefined) {
    if (on !== 'update' && on !== 'create_or_update')
      throw AtriumError.invalidField('trigger.fields', 'trigger', 'is only for an update trigger');
    if (!Array.isArray(input.fields) || input.fields.length === 0)
      throw AtriumError.invalidField('trigger.fields', 'type', 'must list at least one field');
    input.fields.forEach((name, i) => {
      if (typeof name !== 'string' || !Object.hasOwn(model.fields, name))
        throw AtriumError.invalidField(`trigger.fields.${i}`, 'field', `is not a field of ${model.label}`);
    });
    trigger.fields = input.fields as string[];
  }
  if (input.when !== undefined) {
    const { problems } = checkFilter(model, input.when, { source: 'trigger.when' });
    if (problems.length > 0) throw AtriumError.validation(problems);
    trigger.when = input.when as Record<string, unknown>;
  }
  if (on === 'time') {
    const field = typeof input.field === 'string' && Object.hasOwn(model.fields, input.field) ? model.fields[input.field] : undefined;
    if (!field || !['date', 'datetime'].includes(typeOf(field).kind) || !field.column)
      throw AtriumError.invalidField('trigger.field', 'field', `must be a date field of ${model.label}`);
    const offset = input.offset_days ?? 0;
    if (!Number.isInteger(offset) || Math.abs(offset as number) > 3650)
      throw AtriumError.invalidField('trigger.offset_days', 'type', 'must be a whole number of days (negative: before the date)');
    Object.assign(trigger, { field: field.name, offset_days: offset });
  } else if (input.field !== undefined || input.offset_days !== undefined) {
    throw AtriumError.invalidField('trigger.field', 'trigger', 'is only for a time trigger');
  }
  return trigger;
}

function checkActions(schema: TenantSchema, modelId: string, trigger: Trigger, input: unknown, privateNetworks: boolean): ActionSpec[] {
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_ACTIONS)
    throw AtriumError.invalidField('actions', 'type', `must list 1 to ${MAX_ACTIONS} actions`);
  const model = schema.model(modelId)!;
  return input.map((action, i) => {
    const kind = isObject(action) && typeof action.type === 'string' ? ACTION_KINDS.get(action.type) : undefined;
    if (!kind) throw AtriumError.invalidField(`actions.${i}.type`, 'enum', `must be one of ${[...ACTION_KINDS.keys()].join(', ')}`);
    return kind.check(action as ActionSpec, { schema, model, trigger, path: `actions.${i}`, privateNetworks });
  });
}

/**
 * An automation as the admin sends it (a POST, or a PATCH merged on the stored one), checked whole: 400 naming
 * the field. `privateNetworks`: whether a webhook may name a loopback or private address (the platform's config).
 */
export function checkAutomation(schema: TenantSchema, input: unknown, privateNetworks: boolean): Omit<Automation, 'id'> {
  if (!isObject(input)) throw AtriumError.invalidField('body', 'type', 'must be an object');
  const unknown = Object.keys(input).find((k) => !['name', 'model', 'trigger', 'actions', 'active'].includes(k));
  if (unknown) throw AtriumError.invalidField(unknown, 'additionalProperties', 'is not a property of an automation');
  const { name, model, active = true } = input;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200)
    throw AtriumError.invalidField('name', 'type', 'must be a text of 1 to 200 characters');
  const modelDef = typeof model === 'string' ? schema.model(model) : undefined;
  if (!modelDef || modelDef.system) throw AtriumError.invalidField('model', 'model', 'is not a model of an enabled module');
  if (typeof active !== 'boolean') throw AtriumError.invalidField('active', 'type', 'must be true or false');
  const trigger = checkTrigger(schema, modelDef.id, input.trigger);
  return {
    name: name.trim(),
    model: modelDef.id,
    trigger,
    actions: checkActions(schema, modelDef.id, trigger, input.actions, privateNetworks),
    active,
  };
}
