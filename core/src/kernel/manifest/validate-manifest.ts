import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import type { ModuleManifest } from './manifest-types.ts';

/** The manifest schema this package ships (a project publishes a copy as manifests/module.schema.json). */
export const MANIFEST_SCHEMA_FILE = fileURLToPath(new URL('../../../schema/module.schema.json', import.meta.url));
export const manifestSchema = JSON.parse(readFileSync(MANIFEST_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile<ModuleManifest>(manifestSchema);

function describe(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown property "${p.additionalProperty}"`;
    case 'required':
      return `missing required property "${p.missingProperty}"`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'propertyNames':
      return `invalid name "${p.propertyName}"`;
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Structural problems of one manifest, one line each: `<json path>: <reason>`. Errors that only restate
 * another (the `if` of a conditional schema, the branches of an anyOf) are left out.
 */
export function manifestProblems(manifest: unknown): string[] {
  if (validate(manifest)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if');
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const kept = errors.filter((e) => e.keyword === 'anyOf' || ![...anyOfPaths].some((path) => e.instancePath.startsWith(path)));
  // A bad property name is reported by propertyNames and again by the rule inside it: keep the first.
  const badNames = new Set(kept.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath));
  const lines = kept
    .filter((e) => e.keyword === 'propertyNames' || !badNames.has(e.instancePath))
    .map((e) => {
      const path = e.propertyName !== undefined && e.keyword !== 'propertyNames' ? `${e.instancePath}/${e.propertyName}` : e.instancePath;
      return `${path || '/'}: ${describe(e)}`;
    });
  return [...new Set(lines)];
}
