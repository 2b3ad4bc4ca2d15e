/**
 * `npm run backup -- FILE`: a consistent snapshot of the configured database, while the app runs or not.
 * Embedded PGlite (no DATABASE_URL): the data folder as a .tar.gz, written by the running server when
 * there is one. PostgreSQL: pg_dump's custom format. Restore with `npm run restore -- FILE`.
 */
import { backupPGlite, backupPostgres } from '../../store/backup.ts';
import { exitOnStartupError, loadPlatformConfig } from '../platform-config.ts';
import { cliFile } from './cli-file.ts';

async function run(): Promise<void> {
  const file = cliFile('backup');
  const config = await loadPlatformConfig();
  const { url, directUrl, dataDir } = config.database;
  if (url) await backupPostgres(directUrl ?? url, file);
  else await backupPGlite(dataDir, file);
  console.log(`backup written to ${file}`);
}

run().catch(exitOnStartupError);
