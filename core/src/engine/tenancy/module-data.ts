import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtriumError, StartupError } from '../../kernel/errors.ts';
import { sql, type Sql } from '../../store/sql.ts';
import type { Transaction } from '../../store/database.ts';
import type { LoadedModule } from '../../kernel/registry/registry-types.ts';
import type { TenantInfo } from '../../kernel/module-api.ts';
import { recordScope, type Platform } from '../platform.ts';
import type { RecordData } from '../../kernel/record-types.ts';
import { WriteUnit } from '../records/write-unit.ts';
import { TenantRecordsInTransaction } from '../records/tenant-records.ts';
import type { TenantSchema } from '../../kernel/registry/tenant-registry.ts';

/** A data file: records of one model; `$key` names a record, `{"$ref": "module.key"}` points at one. */
interface DataFile {
  model: string;
  records: RecordData[];
}

function resolveRefs(value: unknown, module: string, keys: Map<string, string>, file: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, module, keys, file));
  if (value && typeof value === 'object') {
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const key = ref.includes('.') ? ref : `${module}.${ref}`;
      const id = keys.get(key);
      if (!id) throw new StartupError([`${module}: ${file}: unknown $ref "${ref}"`]);
      return id;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, module, keys, file)]));
  }
  return value;
}

/**
 * Loads modules' data (or demo) files into one tenant through the same record service as the API
 * (validation, versions, events), inside a transaction the caller began: nothing is committed until
 * `commit`, so a tenant or a module switched on gets all of its seed data or none of it. Records already
 * loaded (by key) are skipped, so enabling a module twice never duplicates its seed data.
 */
export class ModuleData {
  private readonly records: TenantRecordsInTransaction;
  /** The modules whose data files are in: marked seeded by the commit. */
  private readonly seeded: Sql[] = [];

  constructor(
    platform: Platform,
    private readonly tx: Transaction,
    private readonly tenant: TenantInfo,
    schema: TenantSchema,
  ) {
    this.records = new TenantRecordsInTransaction(recordScope(platform, { tenant, schema }), new WriteUnit(tx));
  }

  async load(module: LoadedModule, kind: 'data' | 'demo'): Promise<void> {
    const { tx, tenant } = this;
    const keyRows = await tx.rows<{ key: string; record_id: string }>(
      sql`SELECT key, record_id FROM core_data_keys WHERE tenant_id = ${tenant.id}::uuid`,
    );
    const keys = new Map(keyRows.map((r) => [r.key, r.record_id]));
    for (const file of module.manifest[kind] ?? []) {
      const data = JSON.parse(await readFile(join(module.dir, file), 'utf8')) as DataFile | DataFile[];
      for (const block of [data].flat()) {
        for (const entry of block.records) {
          const { $key, ...values } = entry as RecordData & { $key?: string };
          const key = $key ? `${module.name}.${$key}` : undefined;
          if (key && keys.has(key)) continue;
          let created: RecordData;
          try {
            created = await this.records.create(block.model, resolveRefs(values, module.name, keys, file) as RecordData);
          } catch (error) {
            const detail =
              error instanceof AtriumError ? `${error.message} ${JSON.stringify(error.details ?? '')}` : (error as Error).message;
            throw new Error(`${module.name}: ${file}: cannot load ${block.model} ${$key ?? ''}: ${detail}`, { cause: error });
          }
          if (key) {
            keys.set(key, created.id as string);
            await tx.query(
              sql`INSERT INTO core_data_keys (tenant_id, key, model, record_id) VALUES (${tenant.id}::uuid, ${key}, ${block.model}, ${created.id as string}::uuid)`,
            );
          }
        }
      }
    }
    if (kind === 'data')
      this.seeded.push(
        sql`UPDATE core_tenant_modules SET seeded_at = now() WHERE tenant_id = ${tenant.id}::uuid AND module = ${module.name}`,
      );
  }

  /** Commits the transaction: the given statements, the seeded marks and every seed record's event. */
  commit(...statements: Sql[]): Promise<void> {
    return this.records.commit(...statements, ...this.seeded);
  }
}
