import { ident, sql, type Sql } from '../../store/sql.ts';
import { parseFilter } from '../../kernel/filter/filter-language.ts';
import { conditionToSql } from './filter-to-sql.ts';
import { validateBody } from './body-schema.ts';
import { RecordContext, type RecordScope } from './record-context.ts';
import { recordJson } from './record-json.ts';
import { RecordReader } from './record-reader.ts';
import type { RecordData, TenantRecords } from '../../kernel/record-types.ts';
import { RecordWriter } from './record-writer.ts';
import type { WriteUnit } from './write-unit.ts';
import { orderBy, parseSort, sortSql } from './sort.ts';

/** The records a hook sees: the same transaction, the same tenant, no role rules (see TenantRecords). */
export class TenantRecordsInTransaction implements TenantRecords {
  private readonly ctx: RecordContext;
  private readonly reader: RecordReader;
  private readonly writer: RecordWriter;

  constructor(
    scope: RecordScope,
    private readonly unit: WriteUnit,
  ) {
    this.ctx = new RecordContext({ ...scope, ability: null });
    this.reader = new RecordReader(this.ctx);
    this.writer = new RecordWriter(this.ctx, this.reader, (inner) => new TenantRecordsInTransaction(scope, inner));
  }

  async find(
    modelId: string,
    filter: Record<string, unknown> = {},
    options: { sort?: string; limit?: number } = {},
  ): Promise<RecordData[]> {
    const model = this.ctx.model(modelId);
    const condition = parseFilter(model, filter, { source: 'filter' });
    const { schema } = this.ctx.scope;
    const order = options.sort ? sortSql(schema, model, 'a', parseSort(model, options.sort)) : orderBy(schema, model, 'a', model.order);
    const rows = await this.unit.tx.rows<{
      r: RecordData;
    }>(sql`SELECT ${recordJson(schema, model, 'a', { lines: true, precision: this.ctx.precision })} AS r
      FROM ${ident(model.table)} a WHERE a.tenant_id = ${this.ctx.actor.tenantId}::uuid AND ${conditionToSql(model, 'a', condition, schema)}
      ORDER BY ${order} LIMIT ${options.limit ?? 1000}`);
    return rows.map((row) => row.r);
  }

  async get(modelId: string, id: string): Promise<RecordData | null> {
    const model = this.ctx.model(modelId);
    const cached = await this.ctx.scope.hookReads?.get(this.ctx, this.unit, model, id);
    return cached !== undefined ? cached : this.reader.find(model, id, this.unit.tx, false);
  }

  create(modelId: string, values: RecordData): Promise<RecordData> {
    const model = this.ctx.model(modelId);
    return this.writer.createIn(this.unit, model, validateBody(this.ctx.scope.schema, model, 'create', values), 'read');
  }

  update(modelId: string, id: string, values: RecordData): Promise<RecordData> {
    const model = this.ctx.model(modelId);
    return this.writer.updateIn(
      this.unit,
      model,
      id,
      validateBody(this.ctx.scope.schema, model, 'patch', values),
      { current: null, userRules: false },
      'read',
    );
  }

  async nextSequence(name: string): Promise<number> {
    const [row] = await this.unit.tx.rows<{
      last: number;
    }>(sql`INSERT INTO core_sequences (tenant_id, name, last) VALUES (${this.ctx.actor.tenantId}::uuid, ${name}, 1)
      ON CONFLICT (tenant_id, name) DO UPDATE SET last = core_sequences.last + 1 RETURNING last`);
    return Number(row.last);
  }

  /** Commits the unit: the given statements, then every pending event, in one round trip. */
  async commit(...statements: Sql[]): Promise<void> {
    await this.writer.commit(this.unit, ...statements);
  }
}
