import { parse } from 'csv-parse/sync';
import type { CellValue } from 'exceljs';
import { AtriumError } from '../../kernel/errors.ts';

/** What a cell of an imported file holds: text (CSV, XLSX text), a number, a boolean or a date (XLSX). */
export type ImportCell = string | number | boolean | Date | null;

export interface ImportTable {
  header: string[];
  /** Data rows, each as long as the header; row i is the file's row i + 2 (blank rows kept, so numbers match). */
  rows: ImportCell[][];
}

/** At most this many data rows in one import. */
export const IMPORT_MAX_ROWS = 100_000;

export const isBlank = (row: ImportCell[]): boolean => row.every((c) => c === null || c === '');

function table(lines: ImportCell[][]): ImportTable {
  const [head, ...rest] = lines;
  if (!head || head.length === 0) throw AtriumError.invalidField('file', 'empty', 'has no header row');
  const header = head.map((h) => String(h ?? '').trim());
  const filled = rest.filter((row) => !isBlank(row)).length;
  if (filled > IMPORT_MAX_ROWS)
    throw new AtriumError('ATR_ERR_PAYLOAD_TOO_LARGE', `The file has ${filled} rows: at most ${IMPORT_MAX_ROWS} can be imported at once`);
  return { header, rows: rest.map((row) => header.map((_, i) => row[i] ?? null)) };
}

function csvTable(text: string): ImportTable {
  try {
    // Spreadsheets save CSV with ";" in many locales: the header line tells which one the file uses.
    const firstLine = text.slice(0, text.search(/\r?\n|$/));
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    return table(parse(text, { bom: true, delimiter, relax_column_count: true }) as string[][]);
  } catch (error) {
    if (error instanceof AtriumError) throw error;
    throw AtriumError.invalidField('file', 'csv', `is not valid CSV: ${(error as Error).message}`);
  }
}

/** An XLSX cell's value: formulas by their result, rich text as its text, hyperlinks by their text. */
function xlsxValue(value: CellValue): ImportCell {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return value as ImportCell;
  if ('result' in value) return xlsxValue(value.result as CellValue);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('text' in value) return String(value.text);
  return null;
}

async function xlsxTable(data: Buffer): Promise<ImportTable> {
  // ExcelJS (about 28 MB once loaded) is loaded by the first XLSX, not at start-up.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(data as unknown as ArrayBuffer);
  } catch {
    throw AtriumError.invalidField('file', 'xlsx', 'is not a valid XLSX workbook');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw AtriumError.invalidField('file', 'empty', 'has no sheet');
  const lines: ImportCell[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: ImportCell[] = [];
    for (let i = 1; i <= sheet.columnCount; i++) cells.push(xlsxValue(row.getCell(i).value));
    lines.push(cells);
  });
  return table(lines);
}

/** An uploaded file as a table; XLSX is recognised by its ZIP signature, anything else is read as CSV. */
export async function readImportFile(data: Buffer): Promise<ImportTable> {
  const zip = data.length >= 4 && data.readUInt32LE(0) === 0x04034b50;
  return zip ? xlsxTable(data) : csvTable(data.toString('utf8'));
}
