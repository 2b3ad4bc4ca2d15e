import { ACTIVITY_TYPES, MESSAGE_KINDS } from '../engine/chatter/chatter-writes.ts';

/** The chatter's request bodies: what the routes check and what the OpenAPI document shows. */
const uuid = { type: 'string', maxLength: 36 } as const;

export const messageBody = {
  type: 'object',
  additionalProperties: false,
  required: ['body', 'kind'],
  properties: {
    body: { type: 'string', maxLength: 20_000 },
    kind: { type: 'string', enum: [...MESSAGE_KINDS] },
    attachments: { type: 'array', maxItems: 20, uniqueItems: true, items: { type: 'string', format: 'uuid' } },
  },
} as const;

export const activityBody = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'summary', 'due', 'assigned_to'],
  properties: {
    type: { type: 'string', enum: [...ACTIVITY_TYPES] },
    summary: { type: 'string', minLength: 1, maxLength: 500 },
    due: { type: 'string', maxLength: 10 },
    assigned_to: uuid,
  },
} as const;
