import t from 'tap';
import { readFileSync } from 'node:fs';
import ts from 'typescript';

/*
 * core/src/kernel/manifest/manifest-types.ts is written by hand; manifests/module.schema.json is what
 * start-up validates. This check keeps them one shape (docs/decisions.md §17, "Manifest types are checked
 * against the schema"): for each object the schema declares, the interface that types it has the same
 * properties, required exactly where the schema requires them, and the same enums.
 */
const repo = new URL('../..', import.meta.url).pathname;
type Schema = {
  [key: string]: unknown;
  properties?: Record<string, Schema | boolean>;
  required?: string[];
  $ref?: string;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  allOf?: Schema[];
  then?: Schema;
  else?: Schema;
  enum?: unknown[];
};
const root = JSON.parse(readFileSync(`${repo}manifests/module.schema.json`, 'utf8')) as Schema & { definitions: Record<string, Schema> };
/** A schema with its $ref (a JSON pointer into the file) followed. */
const deref = (s: Schema): Schema =>
  s.$ref
    ? deref(
        s.$ref
          .slice(2)
          .split('/')
          .reduce<Schema>((at, key) => at[key] as Schema, root),
      )
    : s;

/** Every property an object schema names, in its own `properties` and in its conditional branches, with each of its schemas. */
function propertiesOf(schema: Schema): Map<string, Schema[]> {
  const out = new Map<string, Schema[]>();
  const visit = (s: Schema | undefined): void => {
    if (!s) return;
    for (const [name, value] of Object.entries(s.properties ?? {}))
      out.set(name, [...(out.get(name) ?? []), ...(value === true ? [] : [value as Schema])]);
    for (const part of s.allOf ?? []) visit(part);
    visit(s.then);
    visit(s.else);
  };
  visit(schema);
  return out;
}

const path = (...steps: string[]) =>
  steps.reduce<Schema>(
    (s, step) =>
      deref(step === '[]' ? (s.items as Schema) : step === '{}' ? (s.additionalProperties as Schema) : (s.properties![step] as Schema)),
    root,
  );
const TYPED: [string, Schema][] = [
  ['ModuleManifest', root],
  ['ModelManifest', root.definitions.model],
  ['FieldManifest', root.definitions.field],
  ['ActionManifest', root.definitions.action],
  ['ViewManifest', root.definitions.view],
  ['ViewFilterManifest', root.definitions.viewFilters.items as Schema],
  ['MenuManifest', path('menus', '[]')],
  ['ExtensionManifest', root.definitions.extension],
  ['ViewPatchManifest', deref((root.definitions.extension.properties!.views as Schema).additionalProperties as Schema)],
  ['ModelPermissionManifest', root.definitions.modelPermission],
];

const file = `${repo}core/src/kernel/manifest/manifest-types.ts`;
const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
const interfaces = new Map(source.statements.filter(ts.isInterfaceDeclaration).map((i) => [i.name.text, i]));
const literals = (type: ts.TypeNode | undefined): string[] =>
  type && ts.isUnionTypeNode(type) && type.types.every((u) => ts.isLiteralTypeNode(u) && ts.isStringLiteral(u.literal))
    ? type.types.map((u) => ((u as ts.LiteralTypeNode).literal as ts.StringLiteral).text)
    : [];

for (const [name, schema] of TYPED) {
  t.test(name, async (t) => {
    const declared = interfaces.get(name);
    if (!declared) return t.fail(`${name} is not an interface of manifest-types.ts`);
    const members = new Map(
      declared.members.filter(ts.isPropertySignature).map((m) => [(m.name as ts.Identifier | ts.StringLiteral).text, m]),
    );
    const properties = propertiesOf(schema);
    t.same([...members.keys()].sort(), [...properties.keys()].filter((p) => p !== '$schema').sort(), 'the same properties');
    const required = new Set(schema.required ?? []);
    for (const [field, member] of members) {
      t.equal(!member.questionToken, required.has(field), `${field} is ${required.has(field) ? 'required' : 'optional'}`);
      // A property may take other values in each branch (ondelete of a many2one, of a many2many): their union.
      const enums = (properties.get(field) ?? []).map((value) => deref(value).enum).filter((e): e is string[] => Array.isArray(e));
      if (enums.length > 0) t.same(literals(member.type).sort(), [...new Set(enums.flat())].sort(), `${field}: the schema's enum`);
    }
  });
}
