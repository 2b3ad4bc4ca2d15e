/**
 * What the tenant administration's later routes answer (custom fields, view patches, automations, mails, plan,
 * usage, billing), for the OpenAPI document and so the typed client. Request bodies come from the routes' own
 * schemas, the shapes they share with the answers too (a view patch, a selection's options).
 */
import { openApiOf } from './openapi-write.ts';
import { customFieldOptions } from './admin/custom-fields-routes.ts';
import { viewPatch } from './admin/views-routes.ts';
import {
  anyValue,
  arrayOf,
  boolean,
  dateTime,
  dictionary,
  file,
  integer,
  json,
  list,
  noContent,
  orNull,
  object,
  oneOf,
  partly,
  ref,
  string,
  strings,
  uuid,
  type Answers,
  type Inputs,
  type Schema,
} from './openapi-shapes.ts';

const limit = orNull(integer);
const trigger = partly(
  {
    on: oneOf('create', 'update', 'create_or_update', 'delete', 'time'),
    fields: { ...strings, description: 'update: only when one of these fields changed' },
    when: { type: 'object', description: 'A condition in the filter language, on the record after the write' },
    field: { ...string, description: 'time: the date (or datetime) field' },
    offset_days: { ...integer, description: 'time: days after the date (negative: before)' },
  },
  ['fields', 'when', 'field', 'offset_days'],
);
const automation = {
  name: string,
  model: string,
  trigger: ref('AutomationTrigger'),
  actions: arrayOf({ type: 'object', required: ['type'], properties: { type: string }, additionalProperties: true }),
  active: boolean,
};

export const adminSchemas: Record<string, Schema> = {
  CustomField: object(
    {
      id: uuid,
      model: string,
      name: string,
      type: string,
      label: string,
      help: string,
      required: boolean,
      default: anyValue,
      options: openApiOf(customFieldOptions),
      model_ref: string,
    },
    ['help', 'options', 'model_ref'],
  ),
  ViewPatch: openApiOf(viewPatch),
  AdminView: object(
    { view: string, model: string, type: oneOf('kanban', 'list', 'form'), label: string, patches: arrayOf(ref('ViewPatch')) },
    ['label'],
  ),
  AutomationTrigger: trigger,
  Automation: object({ id: uuid, ...automation, created_at: dateTime, updated_at: dateTime }),
  AutomationRun: partly(
    { id: uuid, at: dateTime, record_id: orNull(uuid), status: oneOf('done', 'failed', 'skipped'), error: string, depth: integer },
    ['error'],
  ),
  WebhookDelivery: object(
    {
      id: uuid,
      automation_id: uuid,
      automation: { ...string, description: "The automation's name" },
      record_id: uuid,
      url: string,
      status: oneOf('pending', 'delivered', 'dead'),
      attempts: integer,
      last_error: string,
      created_at: dateTime,
      next_attempt_at: dateTime,
      delivered_at: dateTime,
    },
    ['record_id', 'last_error', 'next_attempt_at', 'delivered_at'],
  ),
  AdminMail: object(
    {
      id: uuid,
      model: string,
      record_id: uuid,
      recipients: strings,
      subject: string,
      body: string,
      status: oneOf('pending', 'sent', 'caught', 'failed'),
      attempts: integer,
      last_error: string,
      created_at: dateTime,
      delivered_at: dateTime,
      attachment: object({ name: string, size: integer }),
    },
    ['model', 'record_id', 'last_error', 'delivered_at', 'attachment'],
  ),
  PlanSummary: object({
    plan: string,
    label: string,
    limits: object({
      users: limit,
      records: limit,
      model_records: dictionary(integer),
      modules: limit,
      storage_bytes: limit,
      requests_per_minute: limit,
    }),
    usage: object({ users: integer, records: integer, model_records: dictionary(integer), modules: integer, storage_bytes: integer }),
    plans: arrayOf(object({ name: string, label: string })),
  }),
  UsageReport: object({
    period: object({ days: integer, to: dateTime }),
    users: object({ total: integer, active_accounts: integer, active_in_period: integer }),
    models: arrayOf(
      object({
        model: string,
        module: string,
        label: string,
        records: integer,
        writes: object({ created: integer, updated: integer, deleted: integer }),
      }),
    ),
    daily: arrayOf(object({ day: string, writes: integer })),
    storage: object({ records_bytes: integer, events_bytes: integer, total_bytes: integer }),
  }),
  Billing: object({ enabled: boolean, plan: string, purchasable: strings, subscribed: boolean, customer: boolean, grace_until: dateTime }, [
    'grace_until',
  ]),
};

const link = object({ url: { ...string, description: "Stripe's page, to open" } });

export const adminResponses: Record<string, Record<string, Answers>> = {
  '/api/admin/custom-fields': {
    get: json(200, list('CustomField'), 'The active custom fields'),
    post: json(201, ref('CustomField'), 'The field'),
  },
  '/api/admin/custom-fields/{id}': {
    patch: json(200, ref('CustomField'), 'The field'),
    delete: noContent('Hidden: the values stay, and come back with the field'),
  },
  '/api/admin/views': { get: json(200, list('AdminView'), "The modules' views with the company's patches") },
  '/api/admin/views/{view}': {
    put: json(200, ref('AdminView'), 'The view with its new patches'),
    delete: noContent("The modules' view again"),
  },
  '/api/admin/automations': {
    get: json(200, list('Automation'), 'The automations'),
    post: json(201, ref('Automation'), 'The automation'),
  },
  '/api/admin/automations/{id}': {
    patch: json(200, ref('Automation'), 'The automation'),
    delete: noContent('Deleted'),
  },
  '/api/admin/automations/{id}/runs': { get: json(200, list('AutomationRun'), 'The newest runs first (at most 200)') },
  '/api/admin/automations/deliveries': { get: json(200, list('WebhookDelivery'), 'The newest deliveries first (at most 200)') },
  '/api/admin/automations/deliveries/{id}/retry': {
    post: json(200, object({ id: uuid, status: oneOf('pending') }), 'Sent again: its attempts start over'),
  },
  '/api/admin/mails': { get: json(200, list('AdminMail'), 'The newest mails first (at most 200)') },
  '/api/admin/mails/{id}/attachment': { get: file(200, 'application/pdf', "The mail's attachment") },
  '/api/admin/plan': { get: json(200, ref('PlanSummary'), "The company's plan, its limits and what it holds") },
  '/api/admin/usage': { get: json(200, ref('UsageReport'), 'What the company holds and writes') },
  '/api/admin/billing': { get: json(200, ref('Billing'), "The company's subscription") },
  '/api/admin/billing/checkout': { post: json(200, link, 'A Checkout Session') },
  '/api/admin/billing/portal': { post: json(200, link, 'A Customer Portal session') },
};

/** Bodies and query parameters the routes check in code (an automation's trigger and actions depend on the model). */
export const adminInputs: Record<string, Record<string, Inputs>> = {
  '/api/admin/automations': { post: { body: partly(automation, ['active']) } },
  '/api/admin/automations/{id}': { patch: { body: partly(automation, Object.keys(automation)) } },
  '/api/admin/automations/deliveries': { get: { query: { status: oneOf('pending', 'delivered', 'dead') } } },
  '/api/admin/usage': { get: { query: { days: { ...integer, minimum: 1, maximum: 366, default: 30 } } } },
};
