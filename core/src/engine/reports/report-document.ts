/**
 * A report ready to print: every value already formatted, every field the reader may not read already
 * left out. render-pdf.ts lays it out; report-renderer.ts builds it from a record and its template.
 */
export type DocumentBlock =
  /** The company, or a related record's address: a bold first line, then one line each. */
  | { type: 'address'; title?: string; lines: string[] }
  | { type: 'fields'; items: { label: string; value: string }[] }
  | { type: 'table'; columns: { label: string; right: boolean }[]; rows: string[][] }
  | { type: 'totals'; items: { label: string; value: string }[] }
  | { type: 'text'; title?: string; text: string };

export interface ReportDocument {
  title: string;
  blocks: DocumentBlock[];
}
