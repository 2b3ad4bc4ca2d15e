import type { ActionDef, FieldDef, ModelDef, Registry } from '@atrium/core/testing';
import type { RecordData } from '@atrium/core';
import { fieldsOf, writable } from './platform-registry.ts';

/** Ids of the tenant's records of a model, for relations. */
export type RecordPool = (modelId: string) => string[];

const clip = (text: string, field: FieldDef): string => {
  const max = field.maxLength ?? 200;
  const clipped = text.length > max ? text.slice(text.length - max) : text;
  return clipped.padEnd(field.minLength ?? 0, 'x');
};

/**
 * Valid bodies for any model, from its manifest's field types and relations: every writable field set,
 * relations pointing at the tenant's own records, and every text carrying the tenant's `tag` so a value
 * seen elsewhere can be told apart (a string of tenant A found in tenant B's answer is a leak).
 */
export class BodyFactory {
  private counter = 0;

  constructor(
    private readonly registry: Registry,
    readonly tag: string,
    private readonly pool: RecordPool,
  ) {}

  /** A create body: every writable field, lines included. */
  create(model: ModelDef): RecordData {
    const n = ++this.counter;
    const body: RecordData = {};
    for (const field of fieldsOf(model).filter(writable)) {
      const value = this.value(field, n);
      if (value !== undefined) body[field.name] = value;
    }
    return body;
  }

  /** A patch body: the writable fields that are neither relations nor lines (always valid on any record of the tenant). */
  patch(model: ModelDef): RecordData {
    const n = ++this.counter;
    const body: RecordData = {};
    for (const field of fieldsOf(model).filter((f) => writable(f) && !f.target)) body[field.name] = this.value(field, n);
    return body;
  }

  /** An action's declared params. */
  params(action: ActionDef): RecordData {
    const n = ++this.counter;
    const body: RecordData = {};
    for (const field of Object.values(action.params)) {
      const value = this.value(field, n);
      if (value !== undefined) body[field.name] = value;
    }
    return body;
  }

  /** A valid value of the field (undefined: a relation with nothing to point at). */
  value(field: FieldDef, n: number): unknown {
    const text = `${this.tag}-${field.name}-${n}`;
    const number = Math.min(field.max ?? 1000, (field.min ?? 0) + n);
    switch (field.type) {
      case 'string':
      case 'text':
      case 'phone':
        return clip(text, field);
      case 'email':
        return `${this.tag}-${n}@example.com`;
      case 'url':
        return `https://example.com/${this.tag}/${n}`;
      case 'integer':
        return number;
      case 'number':
        return number - 0.5 >= (field.min ?? 0) ? number - 0.5 : number;
      case 'money':
        return `${number}.25`;
      case 'boolean':
        return n % 2 === 1;
      case 'date':
        return `2026-0${1 + (n % 9)}-1${n % 10}`;
      case 'datetime':
        return `2026-0${1 + (n % 9)}-1${n % 10}T10:00:00.000Z`;
      case 'selection':
        return field.options![n % field.options!.length].value;
      case 'json':
        return { tag: this.tag, n };
      case 'many2one': {
        const ids = this.pool(field.target!);
        return ids.length > 0 ? ids[n % ids.length] : undefined;
      }
      case 'many2many': {
        const ids = this.pool(field.target!);
        return ids.length > 0 ? [ids[n % ids.length]] : undefined;
      }
      case 'one2many': {
        const target = this.registry.model(field.target!)!;
        const line = this.create(target);
        delete line[field.inverse!];
        for (const f of fieldsOf(target)) if (f.type === 'one2many') delete line[f.name];
        return [line];
      }
    }
  }
}
