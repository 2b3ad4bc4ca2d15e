/**
 * `npm run build` (`-- --out DIR`; default dist/): a production build that runs on plain Node, with no
 * tsx, TypeScript or Vite at run time and no devDependencies (docs/decisions.md, "A production build").
 *
 *   package.json, package-lock.json   the runtime's own: its workspaces, production dependencies and
 *                                     overrides, and the scripts `serve` and `migrate`
 *   core/, modules/<name>/, …         every server workspace: its TypeScript compiled file by file to
 *                                     JavaScript beside it (relative `.ts` imports become `.js`), its other
 *                                     files copied (manifests, data; the core's schema and migrations),
 *                                     package.json exports pointed at `.js`
 *   platform.config.js
 *   kit-ui/build/                     the web shell, built by vite
 *   node_modules/<workspace>          links to the workspaces, so that the build also runs in place
 *
 * Tests (`test/` folders, `*.test.ts`) are left out. A rebuild keeps the output's data/ (PGlite) and
 * node_modules/ (what `npm install --omit=dev` put there).
 */
import { build, type Plugin } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureShellBuilt, SHELL_BUILD } from './shell-build.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const outFlag = process.argv.indexOf('--out');
const out = resolve(root, outFlag >= 0 ? process.argv[outFlag + 1] : 'dist');
/** Root files and folders the server reads at run time (besides the workspaces). */
const ROOT_ENTRIES = ['platform.config.ts'];
/** What a rebuild leaves in place in the output folder. */
const KEPT = new Set(['data', 'node_modules']);

interface PackageJson {
  name: string;
  version?: string;
  description?: string;
  engines?: Record<string, string>;
  workspaces?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  [key: string]: unknown;
}

const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const writeJson = (file: string, value: unknown): void => {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
};
const isSource = (file: string): boolean => file.endsWith('.ts') && !file.endsWith('.d.ts');

/** Files under `dir` that belong in a build: no tests, dependencies or hidden files. */
function shippedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || entry.name === 'node_modules' || entry.name === 'test' || entry.name.endsWith('.test.ts')) return [];
    const path = join(dir, entry.name);
    return entry.isDirectory() ? shippedFiles(path) : [path];
  });
}

/** The workspaces of package.json (`modules/*` expanded) that hold a package. */
function workspaces(pkg: PackageJson): string[] {
  return (pkg.workspaces ?? [])
    .flatMap((pattern) => {
      if (!pattern.endsWith('/*')) return [pattern];
      const parent = pattern.slice(0, -2);
      return readdirSync(join(root, parent), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `${parent}/${e.name}`);
    })
    .filter((dir) => existsSync(join(root, dir, 'package.json')));
}

/** `exports`, `main`, `bin` and `imports` that name TypeScript files name the compiled ones instead. */
function compiledTargets(value: unknown): unknown {
  if (typeof value === 'string') return isSource(value) ? `${value.slice(0, -3)}.js` : value;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compiledTargets(v)]));
  return value;
}

function runtimePackage(pkg: PackageJson): PackageJson {
  const { devDependencies: _dev, scripts: _scripts, ...runtime } = pkg;
  for (const key of ['exports', 'main', 'bin', 'imports']) if (key in runtime) runtime[key] = compiledTargets(runtime[key]);
  return runtime;
}

/**
 * Each file compiled alone, as tsx compiles it in development: every import stays an import (relative
 * `.ts` ones renamed `.js`). Sources are read into memory first, so a file created or deleted meanwhile
 * (a test's probe, an editor's save) cannot fail the build half way.
 */
function fileByFile(sources: Map<string, string>): Plugin {
  return {
    name: 'file-by-file',
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'entry-point') return { path: args.path };
        return { path: args.path.startsWith('.') && isSource(args.path) ? `${args.path.slice(0, -3)}.js` : args.path, external: true };
      });
      build.onLoad({ filter: /.*/ }, (args) => ({ contents: sources.get(args.path), loader: 'ts', resolveDir: dirname(args.path) }));
    },
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const rootPackage = readJson(join(root, 'package.json'));
  const all = workspaces(rootPackage);
  // A workspace with a build script of its own is a client (the shell): only its output ships.
  const server = all.filter((dir) => !readJson(join(root, dir, 'package.json')).scripts?.build);

  await ensureShellBuilt(() => console.log('Building the web shell (kit-ui)…'));

  mkdirSync(out, { recursive: true });
  for (const entry of readdirSync(out)) if (!KEPT.has(entry)) rmSync(join(out, entry), { recursive: true, force: true });

  const files = [...server, ...ROOT_ENTRIES]
    .map((path) => join(root, path))
    .flatMap((path) => (statSync(path).isDirectory() ? shippedFiles(path) : [path]));
  const sources = new Map<string, string>();
  for (const file of files) {
    const target = join(out, relative(root, file));
    try {
      if (isSource(file)) sources.set(file, readFileSync(file, 'utf8'));
      else if (file.endsWith('/package.json')) writeJson(target, runtimePackage(readJson(file)));
      else cpSync(file, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // gone since it was listed
    }
  }
  await build({
    entryPoints: [...sources.keys()],
    outdir: out,
    outbase: root,
    bundle: true,
    plugins: [fileByFile(sources)],
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warning',
  });
  cpSync(SHELL_BUILD, join(out, 'kit-ui', 'build'), { recursive: true });

  writeJson(join(out, 'package.json'), {
    name: rootPackage.name,
    version: rootPackage.version,
    description: rootPackage.description,
    private: true,
    type: 'module',
    engines: rootPackage.engines,
    workspaces: server,
    scripts: { serve: 'node --enable-source-maps core/src/platform/main.js', migrate: 'node core/src/platform/cli/migrate.js' },
    dependencies: rootPackage.dependencies,
    overrides: rootPackage.overrides,
  });
  // The versions the tests ran with: `npm install --omit=dev` in the output keeps to them.
  cpSync(join(root, 'package-lock.json'), join(out, 'package-lock.json'));
  for (const dir of server) {
    const link = join(out, 'node_modules', readJson(join(root, dir, 'package.json')).name);
    rmSync(link, { recursive: true, force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(relative(dirname(link), join(out, dir)), link);
  }
  console.log(
    `Built ${sources.size} files and the shell into ${relative(process.cwd(), out) || '.'} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
}

await main();
