import { subject } from '@casl/ability';
import type { ModelDef } from '../../kernel/registry/registry-types.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { isSystemField } from '../../kernel/system-fields.ts';
import { typeOf } from '../../kernel/field-types/registry.ts';
import type { Permissions } from './permissions.ts';

const allFields = (model: ModelDef): string[] => Object.keys(model.fields);

/**
 * Fields the user may read (or write, for 'create' / 'update') on a record, under the rules that match
 * it; without a record, under any rule of the model (callers use that only when all rules agree).
 */
export function permittedFields(ability: Permissions, action: string, model: ModelDef, record?: RecordData): Set<string> {
  const target = record ? subject(model.id, { ...record }) : model.id;
  return new Set(ability.permittedFieldsOf(action, target, { fieldsFrom: (rule) => rule.fields ?? allFields(model) }));
}

/** Per shared ability: rules' field lists do not depend on the viewer. */
const everywhereCache = new WeakMap<object, Map<string, Set<string>>>();

/**
 * Fields readable under every rule that lets the user read the model. Only these may be used to filter,
 * sort or group: otherwise a total or an order could reveal a field that some rows hide.
 */
export function readableEverywhere(ability: Permissions, model: ModelDef): Set<string> {
  let perAbility = everywhereCache.get(ability.sharedKey);
  if (!perAbility) everywhereCache.set(ability.sharedKey, (perAbility = new Map()));
  let fields = perAbility.get(model.id);
  if (!fields) {
    const rules = ability.rulesFor('read', model.id).filter((r) => !r.inverted);
    fields = new Set(allFields(model));
    for (const rule of rules) if (rule.fields) for (const f of [...fields]) if (!rule.fields.includes(f)) fields.delete(f);
    if (rules.length === 0) fields.clear();
    perAbility.set(model.id, fields);
  }
  return fields;
}

/** Does the same field set apply to every readable record? Then one mask serves a whole page. */
function uniformMask(ability: Permissions, model: ModelDef): Set<string> | undefined {
  const rules = ability.rulesFor('read', model.id);
  const distinct = new Set(rules.map((r) => (r.fields ? [...r.fields].sort().join(',') : '*')));
  return distinct.size <= 1 ? readableEverywhere(ability, model) : undefined;
}

interface Mask {
  uniform: Set<string> | undefined;
  hiddenDisplays: string[];
  /** One2many fields and their line models: lines are masked as records of their own model. */
  lineModels: Map<string, ModelDef | undefined>;
  /**
   * Every field readable on every record, every relation's display too: records go out as they are, but
   * for their lines (masked as records of their model) when they carry some (a page's records do not).
   */
  fieldsOpen: boolean;
}

/**
 * Per shared ability (which is per module set, as `resolve` is) and model: computed once, not per request or event.
 * Nothing in it depends on the viewer: rules' field lists, and checks on a model (not a record) match no condition.
 */
const masks = new WeakMap<object, Map<string, Mask>>();

function maskOf(ability: Permissions, model: ModelDef, resolve: (id: string) => ModelDef | undefined): Mask {
  let perAbility = masks.get(ability.sharedKey);
  if (!perAbility) masks.set(ability.sharedKey, (perAbility = new Map()));
  let mask = perAbility.get(model.id);
  if (!mask) {
    const uniform = uniformMask(ability, model);
    const hiddenDisplays = Object.values(model.fields)
      .filter((f) => {
        const kind = typeOf(f).kind;
        if (kind !== 'reference' && kind !== 'links') return false;
        const target = resolve(f.target!);
        return !target?.display || !ability.can('read', target.id, target.display);
      })
      .map((f) => f.name);
    const lineModels = new Map(
      Object.values(model.fields)
        .filter((f) => typeOf(f).kind === 'lines')
        .map((f) => [f.name, resolve(f.target!)]),
    );
    const fieldsOpen = uniform !== undefined && hiddenDisplays.length === 0 && allFields(model).every((f) => uniform.has(f));
    mask = { uniform, hiddenDisplays, lineModels, fieldsOpen };
    perAbility.set(model.id, mask);
  }
  return mask;
}

/** Do records of the model that carry no lines (a page's) go out exactly as read, nothing to mask? */
export const masksNothing = (ability: Permissions, model: ModelDef, resolve: (id: string) => ModelDef | undefined): boolean =>
  maskOf(ability, model, resolve).fieldsOpen;

/**
 * Removes what the user may not read: fields outside their field rules, the display name of a
 * relation whose model (or display field) they may not read, and one2many lines the user may not read
 * as records of their own model (those lines are masked the same way). System fields always stay.
 */
export function maskRecords(
  ability: Permissions,
  model: ModelDef,
  records: RecordData[],
  resolve: (id: string) => ModelDef | undefined,
): RecordData[] {
  const { uniform, hiddenDisplays, lineModels, fieldsOpen } = maskOf(ability, model, resolve);
  if (fieldsOpen && lineModels.size === 0) return records;
  if (fieldsOpen) return records.map((record) => withMaskedLines(ability, lineModels, record, resolve));
  return records.map((record) => {
    const readable = uniform ?? permittedFields(ability, 'read', model, record);
    const out: RecordData = {};
    for (const [key, value] of Object.entries(record)) {
      if (!isSystemField(key) && !readable.has(key)) continue;
      if (lineModels.has(key)) out[key] = maskLines(ability, lineModels.get(key), value, resolve);
      else out[key] = hiddenDisplays.includes(key) ? hideDisplay(value) : value;
    }
    return out;
  });
}

/** The record itself when it carries no lines; otherwise a copy with its lines masked (records may be shared: an event's, by every viewer). */
function withMaskedLines(
  ability: Permissions,
  lineModels: Map<string, ModelDef | undefined>,
  record: RecordData,
  resolve: (id: string) => ModelDef | undefined,
): RecordData {
  let out = record;
  for (const [key, target] of lineModels)
    if (Object.hasOwn(record, key)) out = { ...out, [key]: maskLines(ability, target, record[key], resolve) };
  return out;
}

function maskLines(
  ability: Permissions,
  target: ModelDef | undefined,
  lines: unknown,
  resolve: (id: string) => ModelDef | undefined,
): unknown {
  if (!Array.isArray(lines)) return lines;
  if (!target) return [];
  const visible = (lines as RecordData[]).filter((line) => ability.can('read', subject(target.id, { ...line })));
  return maskRecords(ability, target, visible, resolve);
}

function hideDisplay(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hideDisplay);
  return value && typeof value === 'object' ? { ...(value as object), display: null } : value;
}
