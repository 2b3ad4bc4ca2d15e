import { spawnSync } from 'node:child_process';

/**
 * The text of a PDF as `pdftotext -layout` extracts it (Debian's poppler-utils, which .ci/run installs):
 * what a reader of the document sees, checked without trusting the library that wrote it.
 */
export function pdfText(pdf: Buffer): string {
  const result = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf, encoding: 'utf8' });
  if (result.error) throw new Error(`pdftotext: ${result.error.message} (install poppler-utils)`);
  if (result.status !== 0) throw new Error(`pdftotext: ${result.stderr}`);
  return result.stdout;
}
