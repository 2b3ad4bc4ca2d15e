import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { resolveConfig, type PlatformConfig, type PlatformConfigInput } from '../../kernel/config.ts';
import { MIGRATIONS_DIR, migrate, schemaFingerprint } from '../../store/migrate.ts';
import { loadModules } from '../../kernel/manifest/load-modules.ts';
import { Registry } from '../../kernel/registry/registry.ts';
import { buildApp } from '../server.ts';
import { createTestDatabase, type MigratedTemplate } from './test-database.ts';

export {
  cleanUpTestDatabases,
  createTestDatabase,
  newTestRun,
  postgresReachable,
  TEST_RUN_VARIABLE,
  testDatabaseKind,
  testServerLabel,
} from './test-database.ts';
export * from './white-box.ts';
export { pdfText } from './pdf-text.ts';

export interface TestApp {
  app: FastifyInstance;
  /** A tenant with its admin signed in. */
  signup(company?: string): Promise<SignedIn>;
  /** Another user of a tenant, with the given roles, signed in. */
  addUser(admin: SignedIn, roles: string[], name?: string): Promise<SignedIn>;
  /** An existing user signed in (the password of the test users unless given: the demo tenant's, say). */
  logIn(email: string, password?: string): Promise<SignedIn>;
  /** A second app node on the same database, with the same config and secret (PostgreSQL only: PGlite is one node). */
  startNode(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

export interface SignedIn {
  token: string;
  user: { id: string; name: string; email: string };
  tenant: { id: string; slug: string; name: string };
  /** app.inject with this user's token. */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * Every file under `dir` with its content, in a stable order. A file gone meanwhile (a probe another
 * test writes and removes) shapes nothing and is left out.
 */
function filesUnder(dir: string): [string, Buffer][] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry): [string, Buffer][] => {
      const path = join(dir, entry);
      try {
        return statSync(path).isDirectory() ? filesUnder(path) : [[path, readFileSync(path)]];
      } catch {
        return [];
      }
    });
}

const CORE_PACKAGE = fileURLToPath(new URL('../../../', import.meta.url));
const CORE_SOURCES = join(CORE_PACKAGE, 'src');

/** The lock file of the project this package is installed in: the nearest one above the package. */
function lockFile(dir = CORE_PACKAGE): string | undefined {
  const file = join(dir, 'package-lock.json');
  if (existsSync(file)) return file;
  return dirname(dir) === dir ? undefined : lockFile(dirname(dir));
}

/**
 * The schema these modules need, migrated once per run for every test file that uses the same modules.
 * Its key covers everything that shapes a migrated database: the module schema (from the manifests),
 * the migrations, every source file of the core (the code that generates tables, entities, row-level
 * security and grants lives there, wherever the layers put it) and the locked dependency versions
 * (MikroORM writes the DDL). Hashing all of the core rather than a hand-kept list means a file moved or
 * added can never leave a stale template in use.
 */
async function migratedTemplate(config: PlatformConfig): Promise<MigratedTemplate> {
  const registry = new Registry(await loadModules(config.modules, config.modulesDir));
  const hash = createHash('sha256').update(schemaFingerprint(registry));
  const lock = lockFile();
  const locked: [string, Buffer][] = lock ? [[lock, readFileSync(lock)]] : [];
  for (const [file, content] of [...filesUnder(MIGRATIONS_DIR), ...filesUnder(CORE_SOURCES), ...locked])
    hash.update(relative(CORE_PACKAGE, file)).update(content);
  return {
    key: hash.digest('hex').slice(0, 20),
    migrate: (db) => migrate(db, registry, MIGRATIONS_DIR, { info: () => undefined }).then(() => undefined),
  };
}

let counter = 0;
const unique = (): string => `${process.pid}-${Date.now().toString(36)}-${++counter}`;

/**
 * A whole Atrium (real fastify, real database — PostgreSQL or PGlite per ATRIUM_TEST_DB) for one test
 * file, with the given modules. Module authors use it from `@atrium/core/testing`.
 */
export async function startTestApp(options: PlatformConfigInput & { rootDir?: string; freshSchema?: boolean } = {}): Promise<TestApp> {
  const { rootDir = process.cwd(), freshSchema = false, ...input } = options;
  // freshSchema: the app migrates an empty database itself, as a new installation does (slower).
  const database = await createTestDatabase(freshSchema ? undefined : await migratedTemplate(resolveConfig(input, rootDir, {})));
  const dataDir = mkdtempSync(join(tmpdir(), 'atrium-test-'));
  const config = resolveConfig(
    {
      demo: false,
      logLevel: process.env.ATRIUM_TEST_LOG ?? 'silent',
      ...input,
      dataDir,
      database: { ...input.database, url: database.url, dataDir: 'memory://', template: database.template },
      auth: { passwordCost: 1024, rateLimitPerMinute: 10_000, secret: 'test-secret-test-secret-test-secret', ...input.auth },
    },
    rootDir,
    {},
  );
  const app = await buildApp(config);
  await app.ready();
  const nodes: FastifyInstance[] = [];

  const as = (token: string) => (request: InjectOptions) =>
    app.inject({ ...request, headers: { authorization: `Bearer ${token}`, ...request.headers } });

  const testApp: TestApp = {
    app,
    async signup(company = `Company ${unique()}`) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { company, name: 'Admin', email: `admin-${unique()}@example.com`, password: 'correct horse battery' },
      });
      if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
      const body = response.json();
      return { ...body, request: as(body.token) };
    },
    async addUser(admin, roles, name = `User ${unique()}`) {
      const email = `user-${unique()}@example.com`;
      const created = await admin.request({
        method: 'POST',
        url: '/api/admin/users',
        payload: { name, email, password: 'correct horse battery', roles },
      });
      if (created.statusCode !== 201) throw new Error(`adding a user failed: ${created.statusCode} ${created.body}`);
      return testApp.logIn(email);
    },
    async logIn(email, password = 'correct horse battery') {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
      if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
      const body = login.json();
      return { ...body, request: as(body.token) };
    },
    async startNode() {
      if (!database.url) throw new Error('a second node needs PostgreSQL: an embedded PGlite belongs to one process');
      const node = await buildApp(config);
      nodes.push(node);
      await node.ready();
      return node;
    },
    async close() {
      for (const node of nodes) await node.close();
      await app.close();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return testApp;
}
