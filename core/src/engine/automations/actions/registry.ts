import type { ActionKind } from './action-kind.ts';
import { activityAction } from './activity-action.ts';
import { createAction } from './create-action.ts';
import { emailAction } from './email-action.ts';
import { noteAction } from './note-action.ts';
import { setAction } from './set-action.ts';
import { webhookAction } from './webhook-action.ts';

/** The kinds of action an automation may take, one file each: a new kind is one more entry. */
export const ACTION_KINDS: ReadonlyMap<string, ActionKind> = new Map(
  [setAction, createAction, webhookAction, emailAction, noteAction, activityAction].map((kind) => [kind.type, kind]),
);
