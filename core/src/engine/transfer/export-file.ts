import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { RecordData } from '../../kernel/record-types.ts';
import type { Cell, ExportColumn } from './export-columns.ts';

export type ExportFormat = 'csv' | 'xlsx';

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Batches of records in, one file out: each batch is written (and flushed) before the next is fetched. */
export interface ExportWriter {
  write(records: RecordData[]): Promise<void>;
  end(): Promise<void>;
}

const csvText = (cell: Cell): string => (cell === null ? '' : typeof cell === 'object' ? cell.decimal : String(cell));

/** CSV with a byte order mark (spreadsheets then read it as UTF-8), the header row of field labels, RFC 4180 quoting. */
function csvWriter(out: Writable, columns: ExportColumn[]): ExportWriter {
  const csv = stringify({ bom: true });
  csv.pipe(out);
  const put = async (row: string[]) => {
    if (!csv.write(row)) await once(csv, 'drain');
  };
  let header = put(columns.map((c) => c.label));
  return {
    async write(records) {
      await header;
      header = Promise.resolve();
      for (const record of records) await put(columns.map((c) => csvText(c.cell(record))));
    },
    async end() {
      await header;
      csv.end();
      await once(out, 'finish');
    },
  };
}

/**
 * An amount as a number cell when a double holds it exactly as written (so that sums work in the
 * spreadsheet), formatted with its decimals; otherwise as text, never rounded.
 */
function xlsxCell(cell: Cell): { value: string | number | boolean | null; numFmt?: string } {
  if (cell === null || typeof cell !== 'object') return { value: cell };
  const decimals = cell.decimal.split('.')[1]?.length ?? 0;
  const number = Number(cell.decimal);
  return number.toFixed(decimals) === cell.decimal
    ? { value: number, numFmt: decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0' }
    : { value: cell.decimal };
}

/**
 * XLSX through ExcelJS's streaming writer: each row is committed to the output as it is written. ExcelJS
 * (about 28 MB once loaded) is loaded by the first XLSX, not at start-up.
 */
async function xlsxWriter(out: Writable, columns: ExportColumn[], sheetName: string): Promise<ExportWriter> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31).replace(/[\\/?*[\]:]/g, ' '));
  const header = sheet.addRow(columns.map((c) => c.label));
  header.font = { bold: true };
  header.commit();
  return {
    async write(records) {
      for (const record of records) {
        const row = sheet.addRow([]);
        columns.forEach((column, i) => {
          const { value, numFmt } = xlsxCell(column.cell(record));
          const target = row.getCell(i + 1);
          target.value = value;
          if (numFmt) target.numFmt = numFmt;
        });
        row.commit();
      }
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      sheet.commit();
      await workbook.commit();
    },
  };
}

export async function exportWriter(format: ExportFormat, out: Writable, columns: ExportColumn[], sheetName: string): Promise<ExportWriter> {
  return format === 'csv' ? csvWriter(out, columns) : xlsxWriter(out, columns, sheetName);
}
