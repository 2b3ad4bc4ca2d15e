import { isDeepStrictEqual } from 'node:util';
import type { FieldDef, ModelDef } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { compare as compareDecimal } from '@atrium/protocol/money';

/** A relation's id, whether the API gives it as {id, display} or a plain id. */
export const idOf = (value: unknown): unknown =>
  value !== null && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value;

/**
 * Does the value read back (as the API returns it) hold what a client sent for the field? Equal in the
 * field's own terms: an amount as a decimal (1 and "1.00"), an instant as an instant, a relation by id,
 * many2many as a set of ids, lines each by their sent fields, json as JSON.
 */
export function sameStored(field: FieldDef, sent: unknown, stored: unknown, lookup: (model: string) => ModelDef): boolean {
  if (sent === null || sent === undefined) return stored === null || (Array.isArray(stored) && stored.length === 0);
  if (stored === null || stored === undefined) return false;
  switch (field.type) {
    case 'money':
      return compareDecimal(String(sent), String(stored)) === 0;
    case 'number':
    case 'integer':
      return Number(sent) === stored;
    case 'datetime':
      return Date.parse(String(sent)) === Date.parse(String(stored));
    case 'many2one':
      return idOf(stored) === sent;
    case 'many2many':
      return isDeepStrictEqual([...(sent as string[])].sort(), (stored as unknown[]).map(idOf).sort());
    case 'json':
      return isDeepStrictEqual(JSON.parse(JSON.stringify(sent)), stored);
    case 'one2many': {
      // Lines of one write share a timestamp: match each sent line to some stored one, in any order.
      const target = lookup(field.target!);
      const left = [...(stored as RecordData[])];
      return (
        (sent as RecordData[]).length === left.length &&
        (sent as RecordData[]).every((line) => {
          const at = left.findIndex((candidate) =>
            Object.entries(line).every(([name, value]) =>
              name === 'id' ? candidate.id === value : sameStored(target.fields[name], value, candidate[name], lookup),
            ),
          );
          return at >= 0 && left.splice(at, 1).length === 1;
        })
      );
    }
    default:
      return sent === stored;
  }
}

/** The fields of a body whose value read back is not what was sent (empty: all held). */
export function notStored(model: ModelDef, sent: RecordData, stored: RecordData, lookup: (model: string) => ModelDef): string[] {
  return Object.entries(sent)
    .filter(([name, value]) => !sameStored(model.fields[name], value, stored[name], lookup))
    .map(([name]) => name);
}
