/**
 * `npm run types`: writes each module's models.generated.ts (see kernel/manifest/model-declarations.ts)
 * from the manifests in the modules folder, and the project's manifests/module.schema.json, the copy of
 * the schema this package ships that manifests name in their `$schema`. `npm run types -- --check` writes
 * nothing and fails, naming the files, when one is missing or out of date (the suite runs it).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { exitOnStartupError, findProjectRoot, loadPlatformConfig } from '../platform-config.ts';
import { staleDeclarations } from '../../kernel/manifest/model-declarations.ts';
import { MANIFEST_SCHEMA_FILE } from '../../kernel/manifest/validate-manifest.ts';

/** The project's published copy of the manifest schema, when it differs from the one the core ships. */
function staleSchemaCopy(): { file: string; text: string }[] {
  const file = join(findProjectRoot(), 'manifests', 'module.schema.json');
  const text = readFileSync(MANIFEST_SCHEMA_FILE, 'utf8');
  return existsSync(file) && readFileSync(file, 'utf8') === text ? [] : [{ file, text }];
}

async function run(): Promise<void> {
  const config = await loadPlatformConfig();
  const check = process.argv.includes('--check');
  const stale = [...(await staleDeclarations(config.modulesDir)), ...staleSchemaCopy()];
  const names = stale.map(({ file }) => relative(process.cwd(), file)).join(', ');
  if (check && stale.length > 0) {
    console.error(`out of date (run npm run types): ${names}`);
    process.exit(1);
  }
  if (!check) {
    for (const { file, text } of stale) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
    }
  }
  console.log(stale.length === 0 ? 'model types and the manifest schema are up to date' : `wrote ${names}`);
}

run().catch(exitOnStartupError);
