import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StartupError } from '../errors.ts';
import type { ModuleHooks } from '../module-api.ts';
import type { ModuleManifest } from './manifest-types.ts';
import type { LoadedModule } from '../registry/registry-types.ts';
import { manifestProblems } from './validate-manifest.ts';
import { fieldTypeNames, registerFieldType } from '../field-types/registry.ts';

function readManifest(name: string, dir: string, problems: string[]): ModuleManifest | undefined {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) {
    problems.push(`${name}: no manifest.json in ${dir}`);
    return undefined;
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${name}: manifest.json: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  const found = manifestProblems(manifest);
  for (const problem of found) problems.push(`${name}: ${problem}`);
  if (found.length > 0) return undefined;
  const valid = manifest as ModuleManifest;
  if (valid.name !== name) {
    problems.push(`${name}: /name: is "${valid.name}" but the module folder is "${name}"`);
    return undefined;
  }
  return valid;
}

/** Modules in dependency order (a module after everything it depends on); unknown and cyclic dependencies are problems. */
function dependencyOrder(modules: Map<string, ModuleManifest>, problems: string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]): void => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(name)), name];
      problems.push(`${cycle[0]}: /depends: dependency cycle ${cycle.join(' → ')}`);
      return;
    }
    state.set(name, 'visiting');
    (modules.get(name)!.depends ?? []).forEach((dep, i) => {
      if (!modules.has(dep)) problems.push(`${name}: /depends/${i}: unknown module "${dep}"`);
      else visit(dep, [...path, name]);
    });
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of [...modules.keys()].sort()) visit(name, []);
  return [...new Set(order)];
}

/** The manifests of these modules, read, validated and in dependency order; any problem throws them all. */
function readModuleManifests(names: string[], modulesDir: string): { name: string; dir: string; manifest: ModuleManifest }[] {
  const problems: string[] = [];
  const manifests = new Map<string, ModuleManifest>();
  const dirs = new Map<string, string>();
  for (const name of names) {
    const dir = join(modulesDir, name);
    const manifest = readManifest(name, dir, problems);
    if (manifest) {
      manifests.set(name, manifest);
      dirs.set(name, dir);
    }
  }
  if (problems.length > 0) throw new StartupError(problems);
  const order = dependencyOrder(manifests, problems);
  for (const [name, manifest] of manifests) {
    for (const [key, files] of [
      ['data', manifest.data],
      ['demo', manifest.demo],
    ] as const) {
      (files ?? []).forEach((file, i) => {
        if (!existsSync(join(dirs.get(name)!, file))) problems.push(`${name}: /${key}/${i}: file "${file}" not found`);
      });
    }
  }
  if (problems.length > 0) throw new StartupError(problems);
  return order.map((name) => ({ name, dir: dirs.get(name)!, manifest: manifests.get(name)! }));
}

/** Every field a manifest declares (models, extensions, action parameters), with its JSON path. */
function declaredFields(manifest: ModuleManifest): [path: string, type: string][] {
  const fields = (path: string, declared: Record<string, { type: string }> | undefined): [string, string][] =>
    Object.entries(declared ?? {}).map(([name, field]) => [`${path}/${name}/type`, field.type]);
  return [
    ...Object.entries(manifest.models ?? {}).flatMap(([model, m]) => fields(`/models/${model}/fields`, m.fields)),
    ...(manifest.extensions ?? []).flatMap((e, i) =>
      Object.entries(e.models ?? {}).flatMap(([model, m]) => fields(`/extensions/${i}/models/${model}/fields`, m.fields)),
    ),
    ...Object.entries(manifest.actions ?? {}).flatMap(([model, actions]) =>
      Object.entries(actions).flatMap(([action, a]) => fields(`/actions/${model}/${action}/params`, a.params)),
    ),
  ];
}

/** A field's type must be the core's or one its module, or a module it depends on, registers. */
function fieldTypeProblems(loaded: LoadedModule[]): string[] {
  const byName = new Map(loaded.map((m) => [m.name, m]));
  const closure = (name: string, into = new Set<string>()): Set<string> => {
    if (into.has(name) || !byName.has(name)) return into;
    into.add(name);
    for (const dep of byName.get(name)!.manifest.depends ?? []) closure(dep, into);
    return into;
  };
  return loaded.flatMap(({ name, manifest }) => {
    const known = fieldTypeNames(closure(name));
    return declaredFields(manifest)
      .filter(([, type]) => !known.includes(type))
      .map(
        ([path, type]) =>
          `${name}: ${path}: unknown field type "${type}": must be one of ${known.map((k) => JSON.stringify(k)).join(', ')}, or one that ${name} or a module it depends on registers (defineModule({ fieldTypes }))`,
      );
  });
}

/**
 * Reads, validates and orders the modules the platform ships, then imports their hooks and registers
 * the field types they add (checking every manifest's field types against them). Every problem
 * found is collected, so a module author sees them all at once; any problem stops start-up.
 */
export async function loadModules(names: string[], modulesDir: string): Promise<LoadedModule[]> {
  const problems: string[] = [];
  const loaded: LoadedModule[] = [];
  for (const { name, dir, manifest } of readModuleManifests(names, modulesDir)) {
    const serverFile = ['server.ts', 'server.js'].map((f) => join(dir, f)).find((f) => existsSync(f));
    let hooks: ModuleHooks = {};
    if (serverFile) {
      const imported = (await import(pathToFileURL(serverFile).href)) as { default?: ModuleHooks };
      if (!imported.default) problems.push(`${name}: ${serverFile}: must export default defineModule({...})`);
      else hooks = imported.default;
    }
    (hooks.fieldTypes ?? []).forEach((definition, i) => {
      const problem = registerFieldType(definition, name);
      if (problem) problems.push(`${name}: server.ts: fieldTypes/${i}/${problem}`);
    });
    loaded.push({ name, dir, manifest, hooks });
  }
  problems.push(...fieldTypeProblems(loaded));
  if (problems.length > 0) throw new StartupError(problems);
  return loaded;
}
