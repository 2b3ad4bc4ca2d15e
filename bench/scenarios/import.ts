/**
 * Import throughput: a new tenant of a running Atrium imports N contacts from one CSV
 * (POST /api/records/contacts.partner/import), every row through the record write path with its event,
 * in one transaction. Rows per second = N / the request's wall time.
 */
import { performance } from 'node:perf_hooks';

export interface ImportRate {
  database: 'postgresql' | 'pglite';
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export async function importRate(base: string, database: ImportRate['database'], rows: number): Promise<ImportRate> {
  const signup = await fetch(`${base}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      company: `Import bench ${Date.now()}`,
      name: 'Admin',
      email: `import-${Date.now()}@bench.test`,
      password: 'correct horse battery',
    }),
  });
  if (signup.status !== 201) throw new Error(`import bench: signup answered ${signup.status}`);
  const { token } = (await signup.json()) as { token: string };
  const csv = [
    'Name,Email,Phone',
    ...Array.from(
      { length: rows },
      (_, i) => `Imported contact ${i},contact${i}@bench.test,+33 1 23 45 ${String(i % 100).padStart(2, '0')} 00`,
    ),
  ].join('\n');
  const started = performance.now();
  const response = await fetch(`${base}/api/records/contacts.partner/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
  });
  const seconds = (performance.now() - started) / 1000;
  const result = (await response.json()) as { created?: number; errors?: unknown[] };
  if (response.status !== 200 || result.created !== rows)
    throw new Error(`import bench: ${response.status} ${JSON.stringify(result).slice(0, 300)}`);
  return { database, rows, seconds, rowsPerSecond: rows / seconds };
}
