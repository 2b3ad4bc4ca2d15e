import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { AtriumError } from '../kernel/errors.ts';
import { recordScope } from '../engine/platform.ts';
import type { ListQuery } from '../engine/records/list-params.ts';
import { RecordService } from '../engine/records/record-service.ts';
import { exportColumns } from '../engine/transfer/export-columns.ts';
import { EXPORT_TYPES, exportWriter, type ExportFormat } from '../engine/transfer/export-file.ts';
import { importRecords } from '../engine/transfer/import-records.ts';
import type { ColumnMapping } from '../engine/transfer/import-plan.ts';

type Params = { model: string };

/** An import's file may be this large (a CSV of 100,000 rows of a dozen fields fits). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const FILE_TYPES = ['text/csv', 'text/plain', 'application/octet-stream', 'application/vnd.ms-excel', EXPORT_TYPES.xlsx];

function mappingParam(text: string | string[] | undefined): ColumnMapping | undefined {
  if (text === undefined) return undefined;
  let mapping: unknown;
  try {
    mapping = JSON.parse(String(text));
  } catch {
    throw AtriumError.invalidField('mapping', 'json', 'is not valid JSON');
  }
  const valid =
    mapping &&
    typeof mapping === 'object' &&
    !Array.isArray(mapping) &&
    Object.values(mapping).every((v) => v === null || typeof v === 'string');
  if (!valid) throw AtriumError.invalidField('mapping', 'type', 'must be an object of column → field name (or null to skip the column)');
  return mapping as ColumnMapping;
}

function dryRunParam(text: string | string[] | undefined): boolean {
  if (text === undefined || text === 'false') return false;
  if (text === 'true') return true;
  throw AtriumError.invalidField('dry_run', 'type', 'must be true or false');
}

/** The uploaded file: the body itself (text/csv, XLSX), or the one file of a multipart form. */
async function uploaded(request: FastifyRequest): Promise<Buffer> {
  if (!request.isMultipart()) {
    if (!Buffer.isBuffer(request.body) || request.body.length === 0)
      throw AtriumError.invalidField('file', 'required', 'send a CSV or XLSX file as the body or as a multipart form');
    return request.body;
  }
  const part = await request.file();
  if (!part) throw AtriumError.invalidField('file', 'required', 'the form has no file');
  return part.toBuffer();
}

/**
 * Export and import for every model (docs/api.md "Export and import"). Registered in its own scope, so
 * that only these routes read CSV, XLSX and multipart bodies, and only they take files up to 20 MB.
 */
export default async function transferRoutes(app: FastifyInstance): Promise<void> {
  const service = (request: FastifyRequest): RecordService => new RecordService(recordScope(app.platform, request.session, request.id));
  app.addContentTypeParser(FILE_TYPES, { parseAs: 'buffer', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) => done(null, body));
  await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 10 } });

  app.get<{ Params: Params; Querystring: ListQuery }>('/records/:model/export', async (request, reply) => {
    const { format = 'csv', ...query } = request.query;
    if (format !== 'csv' && format !== 'xlsx') throw AtriumError.invalidField('format', 'enum', 'must be csv or xlsx');
    const scan = service(request).read.scan(request.params.model, query);
    const out = new PassThrough();
    const writer = await exportWriter(format as ExportFormat, out, exportColumns(scan.model, scan.fields), scan.model.label);
    scan
      .rows((records) => writer.write(records))
      .then(() => writer.end())
      .catch((error: Error) => {
        // The header has gone out: the client sees a cut download, the log sees why.
        request.log.error({ err: error }, 'export failed');
        out.destroy(error);
      });
    const filename = `${scan.model.id.replace('.', '-')}-${new Date().toISOString().slice(0, 10)}.${format}`;
    return reply
      .header('content-type', EXPORT_TYPES[format as ExportFormat])
      .header('content-disposition', `attachment; filename="${filename}"`)
      .send(out);
  });

  app.post<{ Params: Params; Querystring: ListQuery }>(
    '/records/:model/import',
    { bodyLimit: IMPORT_MAX_BYTES },
    async (request, reply) => {
      const { dry_run: dryRun, mapping, ...rest } = request.query;
      for (const key of Object.keys(rest)) throw AtriumError.invalidField(key, 'parameter', `unknown parameter "${key}"`);
      const options = { dryRun: dryRunParam(dryRun), mapping: mappingParam(mapping) };
      const data = await uploaded(request);
      if (!String(request.headers.accept ?? '').includes('application/x-ndjson'))
        return importRecords(service(request), request.params.model, data, options);
      return progressStream(reply, (onProgress) => importRecords(service(request), request.params.model, data, { ...options, onProgress }));
    },
  );
}

/**
 * An import answered as NDJSON: `{"progress": {done, total}}` lines while rows are written, then the
 * result as `{"result": {...}}` (or `{"error": {...}}`), so the shell shows progress on large files
 * without a job table: one request, one transaction, all or nothing as ever.
 */
function progressStream(reply: FastifyReply, work: (onProgress: (done: number, total: number) => void) => Promise<unknown>): FastifyReply {
  const out = new PassThrough();
  const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
  let shown = -1;
  work((done, total) => {
    const percent = Math.floor((done * 100) / total);
    if (percent !== shown) line({ progress: { done, total } });
    shown = percent;
  })
    .then((result) => line({ result }))
    .catch((error: unknown) => line(error instanceof AtriumError ? error.toBody() : new AtriumError('ATR_ERR_INTERNAL').toBody()))
    .finally(() => out.end());
  return reply.header('content-type', 'application/x-ndjson').send(out);
}
