/** A row the import refused: its number in the file (the header is row 1), the field if one, why. */
export interface ImportError {
  row: number;
  field: string | null;
  message: string;
}

/**
 * What `POST /api/records/MODEL/import` did, or on a dry run or with errors would have done (then nothing is
 * written); a dry run adds how each column was matched and the first rows.
 */
export interface ImportResult {
  created: number;
  updated: number;
  errors: ImportError[];
  columns?: { name: string; field: string | null }[];
  preview?: string[][];
}
