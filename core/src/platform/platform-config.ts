import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig, type PlatformConfig, type PlatformConfigInput } from '../kernel/config.ts';
import { StartupError } from '../kernel/errors.ts';

/** The project this is run from: the folder holding platform.config.ts (this one or above), else this one. */
export function findProjectRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'platform.config.ts')) && dirname(dir) !== dir) dir = dirname(dir);
  return existsSync(join(dir, 'platform.config.ts')) ? dir : resolve(from);
}

/** The project's `.env`, when there is one (Node's own loader: variables already set win over the file). */
export function loadEnvFile(root: string): void {
  const file = join(root, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

/** platform.config.ts of the project this is run from, after its `.env`. */
export async function loadPlatformConfig(from = process.cwd()): Promise<PlatformConfig> {
  const dir = findProjectRoot(from);
  loadEnvFile(dir);
  const file = join(dir, 'platform.config.ts');
  const input = existsSync(file) ? ((await import(pathToFileURL(file).href)) as { default: PlatformConfigInput }).default : {};
  const config = resolveConfig(input, dir);
  return { ...config, uiDir: config.uiDir ?? join(dir, 'kit-ui', 'build') };
}

/** Start-up problems (a bad manifest, an unusable database) are printed plainly, without a stack. */
export function exitOnStartupError(error: unknown): never {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
}
