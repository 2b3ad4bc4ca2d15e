/**
 * `npm run types`: writes each module's models.generated.ts (see kernel/manifest/model-declarations.ts)
 * from the manifests in the modules folder. `npm run types -- --check` writes nothing and fails, naming
 * the files, when one is missing or out of date (the suite runs it).
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { exitOnStartupError, loadPlatformConfig } from '../platform-config.ts';
import { staleDeclarations } from '../../kernel/manifest/model-declarations.ts';

async function run(): Promise<void> {
  const config = await loadPlatformConfig();
  const check = process.argv.includes('--check');
  const stale = await staleDeclarations(config.modulesDir);
  const names = stale.map(({ file }) => relative(process.cwd(), file)).join(', ');
  if (check && stale.length > 0) {
    console.error(`out of date (run npm run types): ${names}`);
    process.exit(1);
  }
  if (!check) for (const { file, text } of stale) writeFileSync(file, text);
  console.log(stale.length === 0 ? 'model types are up to date' : `wrote ${names}`);
}

run().catch(exitOnStartupError);
