import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AtriumError, StartupError } from '../../kernel/errors.ts';
import { sql } from '../../store/sql.ts';
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
 * Loads a module's data (or demo) files into one tenant, in one transaction, through the same record
 * service as the API (validation, versions, events). Records already loaded (by key) are skipped, so
 * enabling a module twice never duplicates its seed data.
 */
export async function loadModuleData(platform: Platform, tenant: TenantInfo, schema: TenantSchema, module: LoadedModule, kind: 'data' | 'demo'): Promise<void> {
  const files = module.manifest[kind] ?? [];
  await platform.db.transaction(tenant.id, async (tx) => {
    const scope = recordScope(platform, { tenant, schema });
    const unit = new WriteUnit(tx);
    const records = new TenantRecordsInTransaction(scope, unit);
    const keyRows = await tx.rows<{ key: string; record_id: string }>(sql`SELECT key, record_id FROM core_data_keys WHERE tenant_id = ${tenant.id}::uuid`);
    const keys = new Map(keyRows.map((r) => [r.key, r.record_id]));
    for (const file of files) {
      const data = JSON.parse(await readFile(join(module.dir, file), 'utf8')) as DataFile | DataFile[];
      for (const block of [data].flat()) {
        for (const entry of block.records) {
          const { $key, ...values } = entry as RecordData & { $key?: string };
          const key = $key ? `${module.name}.${$key}` : undefined;
          if (key && keys.has(key)) continue;
          let created: RecordData;
          try {
            created = await records.create(block.model, resolveRefs(values, module.name, keys, file) as RecordData);
          } catch (error) {
            const detail = error instanceof AtriumError ? `${error.message} ${JSON.stringify(error.details ?? '')}` : (error as Error).message;
            throw new Error(`${module.name}: ${file}: cannot load ${block.model} ${$key ?? ''}: ${detail}`, { cause: error });
          }
          if (key) {
            keys.set(key, created.id as string);
            await tx.query(sql`INSERT INTO core_data_keys (tenant_id, key, model, record_id) VALUES (${tenant.id}::uuid, ${key}, ${block.model}, ${created.id as string}::uuid)`);
          }
        }
      }
    }
    const seeded = kind === 'data' ? [sql`UPDATE core_tenant_modules SET seeded_at = now() WHERE tenant_id = ${tenant.id}::uuid AND module = ${module.name}`] : [];
    await records.commit(...seeded);
  });
}
