/**
 * What the chatter, activities and notifications answer (docs/api.md, "Chatter and activities", "Notifications"),
 * for the OpenAPI document: the per-model chatter paths (openapi.ts) refer to these shapes, the fixed routes'
 * answers are listed here.
 */
import {
  arrayOf,
  date,
  dateTime,
  dictionary,
  integer,
  json,
  list,
  orNull,
  object,
  oneOf,
  partly,
  ref,
  string,
  uuid,
} from './openapi-shapes.ts';
import type { Answers, Schema } from './openapi-shapes.ts';

const userRef = ref('UserRef');

export const collabSchemas: Record<string, Schema> = {
  UserRef: object({ id: uuid, display: string }),
  Attachment: object({ id: uuid, name: string, mime_type: string, size: integer }),
  Activity: partly(
    {
      id: uuid,
      model: string,
      record_id: uuid,
      type: oneOf('todo', 'call', 'email', 'meeting'),
      summary: string,
      due: date,
      assigned_to: userRef,
      created_by: orNull(userRef),
      created_at: dateTime,
      done_at: orNull(dateTime),
      done_by: orNull(userRef),
      state: oneOf('planned', 'today', 'overdue', 'done'),
      record: { ...object({ id: uuid, display: string }, ['display']), description: 'In "My activities": the record it is on' },
    },
    ['record'],
  ),
  ChatterEntry: partly(
    {
      kind: oneOf('message', 'note', 'activity', 'change'),
      id: { ...string, description: 'A change: its event cursor' },
      at: dateTime,
      author: orNull(userRef),
      body: string,
      mentions: arrayOf(userRef),
      attachments: arrayOf(ref('Attachment')),
      activity: orNull(ref('Activity')),
      activity_change: { ...oneOf('scheduled', 'done'), nullable: true },
      op: string,
      changes: dictionary(),
      previous: dictionary(),
    },
    ['body', 'mentions', 'attachments', 'activity', 'activity_change', 'op', 'changes', 'previous'],
  ),
  Followers: object({ data: arrayOf(userRef), following: { type: 'boolean' } }),
  ActivityCount: object({ id: uuid, open: integer, overdue: integer }),
  Notification: object(
    {
      id: uuid,
      kind: oneOf('assigned', 'mention', 'message', 'activity', 'activity_due'),
      model: string,
      record: object({ id: uuid, display: string }, ['display']),
      actor: userRef,
      body: string,
      title: { ...string, description: 'One line for the bell and the mail\'s subject: "Sally assigned you Lead Acme"' },
      read: { type: 'boolean' },
      created_at: dateTime,
    },
    ['actor', 'body'],
  ),
};

/** The answers of a model's chatter routes (openapi.ts, chatterPaths), by path below the record and method. */
export const chatterAnswers = {
  timeline: json(200, list('ChatterEntry'), 'Timeline'),
  entry: json(201, ref('ChatterEntry'), 'The entry'),
  followers: json(200, ref('Followers'), 'The followers, and whether the caller is one'),
  attachment: json(201, ref('Attachment'), 'The file'),
  activities: json(200, list('Activity'), 'Activities'),
  activity: json(201, ref('Activity'), 'The activity'),
  counts: json(200, list('ActivityCount'), 'Open and overdue activities per record'),
} satisfies Record<string, Answers>;

export const collabResponses: Record<string, Record<string, Answers>> = {
  '/api/activities': { get: json(200, list('Activity'), "The caller's open activities, by due date") },
  '/api/activities/{id}/done': { post: json(200, ref('Activity'), 'The activity') },
  '/api/notifications': {
    get: json(200, object({ data: arrayOf(ref('Notification')), unread: integer }), 'The newest first, and the unread count'),
  },
  '/api/notifications/read': { post: json(200, object({ unread: integer }), 'The unread count') },
};
