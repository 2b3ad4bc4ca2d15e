/**
 * The web shell (kit-ui) built into kit-ui/build, only when that build is missing or older than its
 * sources. `npm start`, `npm run build` and the browser tests share it; test files run in parallel, so one
 * builds while the others wait on a lock directory (mkdir is atomic).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KIT = fileURLToPath(new URL('../kit-ui', import.meta.url));
export const SHELL_BUILD = join(KIT, 'build');
const MODULES = fileURLToPath(new URL('../modules', import.meta.url));

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestChange(join(path, entry))));
}

/** Modules' top-level code files: their shell.ts (and what it imports) is bundled into the shell. */
const moduleCode = (): string[] =>
  readdirSync(MODULES).flatMap((module) =>
    existsSync(join(MODULES, module, 'shell.ts'))
      ? readdirSync(join(MODULES, module))
          .filter((f) => f.endsWith('.ts'))
          .map((f) => join(MODULES, module, f))
      : [],
  );

const stale = (): boolean =>
  !existsSync(join(SHELL_BUILD, 'index.html')) ||
  statSync(join(SHELL_BUILD, 'index.html')).mtimeMs <
    Math.max(
      ...['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json'].map((p) => newestChange(join(KIT, p))),
      ...moduleCode().map(newestChange),
    );

/** Builds the shell if it is stale (telling `onBuilding` first); throws when vite fails. */
export async function ensureShellBuilt(onBuilding?: () => void): Promise<void> {
  const lock = join(KIT, '.build-lock');
  for (;;) {
    if (!stale()) return;
    try {
      mkdirSync(lock);
    } catch {
      // Another process is building; a lock older than two minutes is left over from a killed run.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    try {
      if (!stale()) continue;
      onBuilding?.();
      execFileSync('npx', ['vite', 'build', '--logLevel', 'error'], { cwd: KIT, stdio: ['ignore', 'ignore', 'inherit'] });
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
