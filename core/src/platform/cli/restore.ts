/**
 * `npm run restore -- FILE [--force]`: puts a backup of `npm run backup` back into the configured database
 * (the data folder of embedded PGlite, or the database of DATABASE_URL). Refused while a server owns the
 * data folder, and over an existing database without --force.
 */
import { restorePGlite, restorePostgres } from '../../store/backup.ts';
import { exitOnStartupError, loadPlatformConfig } from '../platform-config.ts';
import { cliFile } from './cli-file.ts';

async function run(): Promise<void> {
  const file = cliFile('restore', '[--force]');
  const force = process.argv.includes('--force');
  const config = await loadPlatformConfig();
  const { url, directUrl, dataDir } = config.database;
  if (url) await restorePostgres(file, directUrl ?? url, force);
  else await restorePGlite(file, dataDir, force);
  console.log(`restored ${file} into ${url ? 'the database of DATABASE_URL' : dataDir}`);
}

run().catch(exitOnStartupError);
