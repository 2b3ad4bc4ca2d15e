/**
 * The TypeScript declarations of a module's models, generated from the manifests (`npm run types`): the
 * records its hooks read (as the API returns them), the values a write takes (as the API accepts them)
 * and each action's parameters, for the module's own models and those of the modules it depends on.
 * A module opts in with `defineModule<Models>(…)`; a field renamed in a manifest then fails `tsc` in
 * every hook that still uses the old name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModuleManifests } from './load-modules.ts';
import type { FieldManifest, ModuleManifest } from './manifest-types.ts';

/** The file written next to each module's manifest. */
export const DECLARATIONS_FILE = 'models.generated.ts';

const RELATION = '{ id: string; display: string }';

function selection(field: FieldManifest): string {
  const values = (field.options ?? []).map((o) => JSON.stringify(typeof o === 'string' ? o : o.value));
  return values.length > 0 ? values.join(' | ') : 'string';
}

/** A line of a one2many: its model's shape when declared here, else any record. */
const line = (field: FieldManifest, part: 'record' | 'values', known: ReadonlySet<string>): string =>
  known.has(field.model!) ? `Models[${JSON.stringify(field.model)}][${JSON.stringify(part)}][]` : 'Record<string, unknown>[]';

/** A field's value as the API returns it. */
function readType(field: FieldManifest, known: ReadonlySet<string>): string {
  switch (field.type) {
    case 'integer': case 'number': return 'number';
    case 'boolean': return 'boolean';
    case 'selection': return selection(field);
    case 'many2one': return RELATION;
    case 'many2many': return `${RELATION}[]`;
    case 'one2many': return line(field, 'record', known);
    case 'json': return 'unknown';
    default: return 'string'; // text of every kind, money (an exact decimal string), dates
  }
}

/** A field's value as a write accepts it. */
function writeType(field: FieldManifest, known: ReadonlySet<string>): string {
  switch (field.type) {
    case 'money': return 'string | number';
    case 'many2one': return 'string | { id: string }';
    case 'many2many': return 'string[]';
    case 'one2many': return line(field, 'values', known);
    default: return readType(field, known);
  }
}

const isList = (field: FieldManifest): boolean => field.type === 'one2many' || field.type === 'many2many';
const nullable = (type: string, field: FieldManifest): string => (field.required || isList(field) ? type : `${type} | null`);

function block(lines: string[], indent: string): string {
  return lines.length === 0 ? '{}' : `{\n${lines.map((l) => `${indent}  ${l}`).join('\n')}\n${indent}}`;
}

const SYSTEM = ['id: string;', 'version: number;', 'created_at: string;', 'updated_at: string;', 'created_by: string | null;', 'updated_by: string | null;'];

function modelType(fields: Record<string, FieldManifest>, actions: Record<string, Record<string, FieldManifest>>, known: ReadonlySet<string>): string {
  const entries = Object.entries(fields);
  // A single record's read includes its one2many lines; a listing does not.
  const record = [...SYSTEM, ...entries.map(([name, f]) => `${name}${f.type === 'one2many' ? '?' : ''}: ${nullable(readType(f, known), f)};`)];
  const values = entries.map(([name, f]) => `${name}?: ${nullable(writeType(f, known), f)};`);
  const params = Object.entries(actions).map(([action, declared]) =>
    `${action}: ${block(Object.entries(declared).map(([name, f]) => `${name}${f.required ? '' : '?'}: ${nullable(writeType(f, known), f)};`), '      ')};`);
  return block([`record: ${block(record, '    ')};`, `values: ${block(values, '    ')};`, `params: ${block(params, '    ')};`], '  ');
}

/**
 * The declarations file of `module`: `manifests` holds it and every module it depends on (directly or
 * not). Fields that other modules add through extensions count when everything they require is there.
 */
export function modelDeclarations(module: string, manifests: ReadonlyMap<string, ModuleManifest>): string {
  const closure = new Set<string>();
  const visit = (name: string): void => {
    if (closure.has(name)) return;
    closure.add(name);
    for (const dep of manifests.get(name)?.depends ?? []) visit(dep);
  };
  visit(module);
  const fields = new Map<string, Record<string, FieldManifest>>();
  const actions = new Map<string, Record<string, Record<string, FieldManifest>>>();
  for (const name of [...closure].sort()) {
    const manifest = manifests.get(name)!;
    for (const [model, declared] of Object.entries(manifest.models ?? {})) fields.set(`${name}.${model}`, { ...declared.fields });
  }
  for (const name of [...closure].sort()) {
    const manifest = manifests.get(name)!;
    for (const extension of manifest.extensions ?? []) {
      if (!(extension.requires ?? []).every((required) => closure.has(required))) continue;
      for (const [model, added] of Object.entries(extension.models ?? {})) if (fields.has(model)) Object.assign(fields.get(model)!, added.fields);
    }
    for (const [model, declared] of Object.entries(manifest.actions ?? {})) {
      if (!fields.has(model)) continue;
      const byAction = actions.get(model) ?? {};
      for (const [action, definition] of Object.entries(declared)) byAction[action] = definition.params ?? {};
      actions.set(model, byAction);
    }
  }
  const known = new Set(fields.keys());
  const models = [...fields].map(([model, declared]) => `${JSON.stringify(model)}: ${modelType(declared, actions.get(model) ?? {}, known)};`);
  return [
    `// Generated by \`npm run types\` from the manifests of ${[...closure].sort().join(', ')}: do not edit.`,
    '// Used as `defineModule<Models>(…)` in server.ts: hooks get these models\' records, values and action parameters typed.',
    '',
    `export type Models = ${block(models, '')};`,
    '',
  ].join('\n');
}

/** The declarations files of the module folders that are missing or out of date, with what they should hold. */
export function staleDeclarations(modulesDir: string): { file: string; text: string }[] {
  const names = readdirSync(modulesDir).filter((name) => existsSync(join(modulesDir, name, 'manifest.json')));
  const modules = readModuleManifests(names, modulesDir);
  const manifests = new Map(modules.map((m) => [m.name, m.manifest]));
  return modules
    .map(({ name, dir }) => ({ file: join(dir, DECLARATIONS_FILE), text: modelDeclarations(name, manifests) }))
    .filter(({ file, text }) => !existsSync(file) || readFileSync(file, 'utf8') !== text);
}
