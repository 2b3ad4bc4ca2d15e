/**
 * Other Node runtimes for the smoke test (`npm test -- --runtimes 22,24`): the npm registry's `node`
 * package of that major version, installed once into a scratch folder under the OS's temp folder —
 * never into the project, its lock file or its dependencies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Runtime {
  binary: string;
  version: string;
}

const versionOf = (binary: string): string | undefined => {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
};

/** Node `major` (e.g. "22"), installed if it is not there yet (or is broken); throws when npm cannot install it. */
export function installRuntime(major: string): Runtime {
  const dir = join(tmpdir(), 'atrium-runtimes', `node-${major}`);
  const binary = join(dir, 'node_modules', 'node', 'bin', 'node');
  let version = existsSync(binary) ? versionOf(binary) : undefined;
  if (!version) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // A package.json of its own, so that npm installs here and not into a project above.
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `node@${major}`], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    version = versionOf(binary);
  }
  if (!version?.startsWith(`v${major}.`)) throw new Error(`npm's node@${major} gave ${version ?? 'no runnable node'}`);
  return { binary, version };
}
