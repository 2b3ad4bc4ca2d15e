import type { FieldMeta, RecordRef } from '@atrium/protocol';
import { recordsApi } from './records-api';

/** The values a many2one's `fill` copies from the record just picked, keyed by the fields they go to. */
export async function filledValues(field: FieldMeta, picked: RecordRef): Promise<Record<string, unknown>> {
  if (!field.fill || !field.model) return {};
  const record = await recordsApi.get(field.model, picked.id);
  return Object.fromEntries(
    Object.entries(field.fill)
      .filter(([, there]) => record[there] !== undefined)
      .map(([here, there]) => [here, record[there]]),
  );
}
