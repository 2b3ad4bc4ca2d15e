import type { ModelPermissionManifest } from '../manifest/manifest-types.ts';
import type { ModelDef } from './registry-types.ts';
import { checkFilter } from '../filter/filter-language.ts';
import { isSystemField } from '../system-fields.ts';

const CRUD = new Set(['read', 'create', 'update', 'delete', 'fields']);

/**
 * What is wrong with one role's permission on one model, as [path, message] pairs: unknown actions or
 * fields, and record rules that do not parse. Used for manifests at start-up and for tenant roles on save.
 */
export function permissionProblems(model: ModelDef, permission: unknown): [string, string][] {
  if (permission === null || typeof permission !== 'object' || Array.isArray(permission)) return [['', 'must be an object']];
  const problems: [string, string][] = [];
  for (const [action, grant] of Object.entries(permission as ModelPermissionManifest)) {
    if (action === 'fields') continue;
    if (!CRUD.has(action) && !Object.hasOwn(model.actions, action))
      problems.push([`/${action}`, `unknown action "${action}" of ${model.id}`]);
    else if (typeof grant !== 'boolean' && (grant === null || typeof grant !== 'object' || Array.isArray(grant)))
      problems.push([`/${action}`, 'must be true, false or a record rule']);
    else if (typeof grant === 'object') {
      for (const p of checkFilter(model, grant, { source: 'rule', variables: true }).problems)
        problems.push([`/${action}`, `${p.field.replace(/^rule\./, '')}: ${p.message}`]);
    }
  }
  const fields = (permission as ModelPermissionManifest).fields;
  if (fields !== undefined) {
    for (const key of ['read', 'write'] as const) {
      const list = (fields as Record<string, unknown>)[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) problems.push([`/fields/${key}`, 'must be a list of field names']);
      else
        list.forEach((name, i) => {
          if (typeof name !== 'string' || (!isSystemField(name) && !Object.hasOwn(model.fields, name)))
            problems.push([`/fields/${key}/${i}`, `unknown field "${String(name)}" of ${model.id}`]);
        });
    }
  }
  return problems;
}
