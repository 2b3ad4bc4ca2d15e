import t from 'tap';
import { readFileSync } from 'node:fs';

const root = new URL('../..', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('manifests/module.schema.json', root), 'utf8'));
const guide = readFileSync(new URL('docs/modules.md', root), 'utf8');

/** Every property name the schema defines, anywhere, and every enumerated value (field, view and style types). */
function names(node: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => names(n, into));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'not') continue; // reserved names, not something to declare
      if (key === 'properties' && value && typeof value === 'object') Object.keys(value).forEach((k) => k !== '$schema' && into.add(k));
      if (key === 'enum' && Array.isArray(value)) value.forEach((v) => typeof v === 'string' && into.add(v));
      names(value, into);
    }
  }
  return into;
}

t.test('the manifest reference in docs/modules.md names everything the schema defines', async (t) => {
  const missing = [...names(schema)].filter((name) => !guide.includes(`\`${name}\``) && !guide.includes(`"${name}"`));
  t.same(missing, [], 'undocumented schema names');
});
