import type { RawData } from 'ws';

/**
 * What a client may send on the socket: `resume` (replay after a cursor); `watch` (this socket has the record
 * open, and is editing `editing`, a field name, if given: sent again when that changes); `unwatch`.
 */
export type PresenceMessage = { type: 'watch'; model: string; id: string; editing: string | null } | { type: 'unwatch' };
export type ClientMessage = { type: 'resume'; after: number } | PresenceMessage;

/** Error frames (`{"type": "error", "code", "message"}`); the socket stays open after each. */
const SOCKET_ERRORS = {
  bad_cursor: 'The cursor is not one this server hands out (a string of decimal digits)',
  bad_message: 'A message must be a JSON object with a "type"',
  unknown_type: 'Unknown message type',
  rate_limited: 'Too many messages, slow down',
  bad_watch: 'watch needs "model" (a model id), "id" (a record id) and, optionally, "editing" (a field of the model, or null)',
  not_found: 'No such record, or you may not read it',
} as const;

export type SocketErrorCode = keyof typeof SOCKET_ERRORS;

export class SocketError extends Error {
  constructor(readonly code: SocketErrorCode) {
    super(SOCKET_ERRORS[code]);
    this.name = 'SocketError';
  }

  frame(): string {
    return JSON.stringify({ type: 'error', code: this.code, message: this.message });
  }
}

/** Cursors are strings of decimal digits (docs/api.md); 15 digits keep them exact as JavaScript numbers. */
const CURSOR = /^\d{1,15}$/;

/** A cursor as a client sends it (in `resume`, or as the handshake's `after`), or undefined when it is not one. */
export const parseCursor = (value: unknown): number | undefined =>
  typeof value === 'string' && CURSOR.test(value) ? Number(value) : undefined;

// ws hands text frames over as one Buffer (binaryType 'nodebuffer'); the other shapes are for completeness.
const bytesOf = (data: RawData): Buffer => (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data));

const shortString = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max;

/** One frame from the client (at most the route's maxPayload long), or the error to answer it with. */
export function parseClientMessage(data: RawData, isBinary: boolean): ClientMessage | SocketError {
  if (isBinary) return new SocketError('bad_message');
  let message: unknown;
  try {
    message = JSON.parse(bytesOf(data).toString('utf8'));
  } catch {
    return new SocketError('bad_message');
  }
  if (
    typeof message !== 'object' ||
    message === null ||
    Array.isArray(message) ||
    typeof (message as { type?: unknown }).type !== 'string'
  ) {
    return new SocketError('bad_message');
  }
  const { type, after, model, id, editing } = message as {
    type: string;
    after?: unknown;
    model?: unknown;
    id?: unknown;
    editing?: unknown;
  };
  if (type === 'unwatch') return { type };
  if (type === 'watch') {
    if (!shortString(model, 200) || !shortString(id, 36) || !(editing === undefined || editing === null || shortString(editing, 200)))
      return new SocketError('bad_watch');
    return { type, model, id, editing: editing ?? null };
  }
  if (type !== 'resume') return new SocketError('unknown_type');
  const cursor = parseCursor(after);
  return cursor === undefined ? new SocketError('bad_cursor') : { type, after: cursor };
}
