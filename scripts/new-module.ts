/**
 * `npm run new-module -- <name>`: scaffolds modules/<name> (manifest, hooks, seed data, a passing test,
 * package.json) from scripts/module-template into the project npm runs it in (its folder is the current
 * one) and registers it in platform.config.ts.
 */
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { staleDeclarations } from '@atrium/core/platform';

const root = process.cwd();

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let name: string | undefined;
try {
  const { positionals } = parseArgs({ allowPositionals: true, options: {} });
  name = positionals.length === 1 ? positionals[0] : undefined;
} catch {
  name = undefined; // an option: none is known
}
if (!name || !/^[a-z][a-z0-9]{1,30}$/.test(name) || ['core', 'atrium', 'api', 'admin', 'auth'].includes(name)) {
  fail('usage: npm run new-module -- <name>   (lower-case letters and digits, e.g. "helpdesk")');
}
const target = join(root, 'modules', name);
if (existsSync(target)) fail(`modules/${name} already exists`);
const configFile = join(root, 'platform.config.ts');
const config = readFileSync(configFile, 'utf8');
const list = /modules:\s*\[([^\]]*)\]/.exec(config);
if (!list) fail('platform.config.ts has no `modules: [...]` list to add the module to');

const label = name.charAt(0).toUpperCase() + name.slice(1);
const fill = (text: string): string => text.replaceAll('__NAME__', name).replaceAll('__LABEL__', label);
cpSync(new URL('module-template', import.meta.url).pathname, target, { recursive: true });
const walk = (dir: string): void => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else {
      writeFileSync(path, fill(readFileSync(path, 'utf8')));
      if (entry.includes('__NAME__')) renameSync(path, join(dir, fill(entry)));
    }
  }
};
walk(target);
for (const { file, text } of await staleDeclarations(join(root, 'modules'))) if (file.startsWith(target)) writeFileSync(file, text);

const entries = list[1]
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
writeFileSync(configFile, config.replace(list[0], `modules: [${[...entries, `'${name}'`].join(', ')}]`));
console.log(`Created modules/${name} and added it to platform.config.ts.
Next: npm install (registers the workspace), npm test -- modules/${name}/test/${name}.test.ts, npm start.
After changing its manifest: npm run types (types its hooks: modules/${name}/models.generated.ts).
The manifest reference is docs/modules.md.`);
