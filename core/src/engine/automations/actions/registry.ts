import type { ActionKind } from './action-kind.ts';
import { createAction } from './create-action.ts';
import { emailAction } from './email-action.ts';
import { setAction } from './set-action.ts';
import { webhookAction } from './webhook-action.ts';

/** The kinds of action an automation may take, one file each: a new kind (a note, an activity) is one more entry. */
export const ACTION_KINDS: ReadonlyMap<string, ActionKind> = new Map(
  [setAction, createAction, webhookAction, emailAction].map((kind) => [kind.type, kind]),
);
