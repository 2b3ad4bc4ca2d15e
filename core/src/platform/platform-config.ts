import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig, type PlatformConfig, type PlatformConfigInput } from '../kernel/config.ts';
import { StartupError } from '../kernel/errors.ts';

/** The config file in a folder: the source, or (in a build made by `npm run build`) its compiled twin. */
const configIn = (dir: string): string | undefined =>
  ['platform.config.ts', 'platform.config.js'].map((f) => join(dir, f)).find((f) => existsSync(f));

/** The project this is run from: the folder holding its config (this one or above), else this one. */
export function findProjectRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!configIn(dir) && dirname(dir) !== dir) dir = dirname(dir);
  return configIn(dir) ? dir : resolve(from);
}

/** The project's `.env`, when there is one (Node's own loader: variables already set win over the file). */
export function loadEnvFile(root: string): void {
  const file = join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** platform.config.ts (or .js) of the project this is run from, after its `.env`. */
export async function loadPlatformConfig(from = process.cwd()): Promise<PlatformConfig> {
  const dir = findProjectRoot(from);
  loadEnvFile(dir);
  const file = configIn(dir);
  const input = file ? ((await import(pathToFileURL(file).href)) as { default: PlatformConfigInput }).default : {};
  const config = resolveConfig(input, dir);
  return { ...config, uiDir: config.uiDir ?? join(dir, 'kit-ui', 'build') };
}

/** Start-up problems (a bad manifest, an unusable database) are printed plainly, without a stack. */
export function exitOnStartupError(error: unknown): never {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
}
