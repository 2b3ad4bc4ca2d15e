import type { RecordService } from '../records/record-service.ts';
import type { ImportResult } from '../records/import-result.ts';
import { readImportFile, type ImportCell } from './import-file.ts';
import { planImport, type ColumnMapping } from './import-plan.ts';

const PREVIEW_ROWS = 5;

export interface ImportPreview {
  columns: { name: string; field: string | null }[];
  preview: string[][];
}

const previewText = (cell: ImportCell): string =>
  cell === null ? '' : cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell);

export interface ImportOptions {
  dryRun: boolean;
  mapping?: ColumnMapping;
  /** Told after each row is written (or refused), with how many rows there are. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * An uploaded CSV or XLSX file into a model's records: the file is read, its columns matched to fields,
 * its cells turned into values (relations by id or name), then every row written through the record
 * writer in one transaction. Any error, in a cell or in a write, and nothing is written.
 */
export async function importRecords(
  records: RecordService,
  modelId: string,
  data: Buffer,
  options: ImportOptions,
): Promise<ImportResult & Partial<ImportPreview>> {
  const model = records.read.readableModel(modelId);
  const file = await readImportFile(data);
  const plan = await planImport(model, file, options.mapping, records.read.modelOf, (target, names) =>
    records.read.idsByDisplay(target, names),
  );
  // A dry run also tells how the columns were matched and shows the first rows: the shell's preview and mapping.
  const preview = options.dryRun
    ? {
        columns: file.header.map((name, i) => ({ name, field: plan.fields[i] })),
        preview: file.rows.slice(0, PREVIEW_ROWS).map((row) => row.map(previewText)),
      }
    : {};
  const total = plan.rows.length;
  const written = await records.write.importRows(modelId, plan.rows, {
    dryRun: options.dryRun || plan.errors.length > 0,
    onProgress: options.onProgress && ((done) => options.onProgress!(done, total)),
  });
  return {
    created: written.created,
    updated: written.updated,
    errors: [...plan.errors, ...written.errors].sort((a, b) => a.row - b.row),
    ...preview,
  };
}
