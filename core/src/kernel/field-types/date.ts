import { defineFieldType, described, nullable, refused, type FieldType } from './field-type.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;

/** A YYYY-MM-DD that exists in the calendar, in PostgreSQL's range (JavaScript rolls 2020-02-30 over to March). */
export const isCalendarDate = (text: string): boolean => {
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && text >= '0001' && new Date(time).toISOString().slice(0, 10) === text;
};

/** An ISO 8601 date and time on a calendar day (JavaScript alone reads "1" as 2001, which PostgreSQL refuses). */
const isDateTime = (text: string): boolean => DATE_TIME.test(text) && isCalendarDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text));

/** A calendar day, YYYY-MM-DD (ordered as text, which is the calendar's order). */
export const date = defineFieldType({
  name: 'date',
  kind: 'date',
  column: 'date',
  cast: 'date',
  body: (field) => nullable(field, { type: 'string', format: 'date' }),
  openapi: (field) => ({ ...described(field), type: 'string', format: 'date' }),
  filter: {
    ordered: true,
    textual: false,
    parse: (operand) =>
      typeof operand === 'string' && DATE.test(operand) && isCalendarDate(operand)
        ? { value: operand }
        : refused('must be a date (YYYY-MM-DD)'),
  },
  groupable: true,
  widget: 'date',
});

const instant = (name: string, ordered: boolean): FieldType =>
  defineFieldType({
    name,
    kind: 'datetime',
    column: 'timestamptz',
    cast: 'timestamptz',
    body: (field) => nullable(field, { type: 'string', format: 'date-time' }),
    openapi: (field) => ({ ...described(field), type: 'string', format: 'date-time' }),
    filter: {
      ordered,
      textual: false,
      parse: (operand) =>
        typeof operand === 'string' && isDateTime(operand) ? { value: operand } : refused('must be a date and time (ISO 8601)'),
    },
    widget: 'datetime',
  });

/** An instant, ISO 8601 with a time zone (timestamptz). */
export const datetime = instant('datetime', true);

/** The system columns created_at and updated_at: filtered by equality and $in only (not a manifest type). */
export const timestamp = instant('timestamp', false);
