import { authorizedFetch, responseError } from './api';
import type { Filter, ImportResult } from '@atrium/protocol';

/** Downloads a list as the server exports it (docs/api.md "Export and import"): its filter, sort and columns. */
export async function downloadExport(
  model: string,
  format: 'csv' | 'xlsx',
  options: { filter?: Filter; sort?: string; fields: string[] },
): Promise<void> {
  const params = new URLSearchParams({ format, fields: options.fields.join(',') });
  if (options.filter && Object.keys(options.filter).length > 0) params.set('filter', JSON.stringify(options.filter));
  if (options.sort) params.set('sort', options.sort);
  const response = await authorizedFetch(`/records/${model}/export?${params}`);
  if (!response.ok) throw await responseError(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${model}.${format}`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Sends a file to the import; the server answers NDJSON, a line per percent of rows written, then the
 * result, so a large file shows its progress (docs/decisions.md).
 */
export async function importFile(
  model: string,
  file: File,
  options: { dryRun: boolean; mapping?: Record<string, string | null>; onProgress?: (done: number, total: number) => void },
): Promise<ImportResult> {
  const params = new URLSearchParams({ dry_run: String(options.dryRun) });
  if (options.mapping) params.set('mapping', JSON.stringify(options.mapping));
  const type = file.name.toLowerCase().endsWith('.xlsx') ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
  const response = await authorizedFetch(`/records/${model}/import?${params}`, {
    method: 'POST',
    body: file,
    headers: { 'content-type': type, accept: 'application/x-ndjson' },
  });
  if (!response.ok || !response.body) throw await responseError(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffered += value ?? '';
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      const message = JSON.parse(line) as {
        progress?: { done: number; total: number };
        result?: ImportResult;
        error?: { code: string; message: string };
      };
      if (message.progress) options.onProgress?.(message.progress.done, message.progress.total);
      if (message.result) return message.result;
      if (message.error) throw new Error(message.error.message);
    }
    if (done) throw new Error('The import ended without an answer');
  }
}
