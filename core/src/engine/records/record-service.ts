import { RecordContext, type RecordScope } from './record-context.ts';
import { RecordReader } from './record-reader.ts';
import { RecordWriter } from './record-writer.ts';
import { TenantRecordsInTransaction } from './tenant-records.ts';
import { ReportRenderer } from '../reports/report-renderer.ts';

/**
 * The one generic service behind every model (as Directus' ItemsService): built per request with who
 * is asking, shared by REST, module hooks and seed data, so all of them go through the same checks.
 */
export class RecordService {
  readonly read: RecordReader;
  readonly write: RecordWriter;
  readonly reports: ReportRenderer;

  constructor(scope: RecordScope) {
    const ctx = new RecordContext(scope);
    this.read = new RecordReader(ctx);
    this.reports = new ReportRenderer(ctx, this.read);
    this.write = new RecordWriter(ctx, this.read, (unit) => new TenantRecordsInTransaction(scope, unit));
  }
}
