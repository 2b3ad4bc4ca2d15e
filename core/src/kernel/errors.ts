import type { FieldProblem, PlanLimitExceeded } from '@atrium/protocol';
import { fieldTitle } from './schema-messages.ts';

/**
 * Every error Atrium answers with, in one catalogue (as fastify's lib/errors.js): a stable key, the HTTP
 * status and the API `code` from docs/api.md. Routes throw these; the error handler turns them into
 * `{"error": {"code", "message", "details"}}`. Anything else that reaches the handler is a bug (500).
 */
export const ERRORS = {
  ATR_ERR_VALIDATION: { status: 400, code: 'validation_failed', message: 'The request is not valid' },
  ATR_ERR_INVALID_JSON: { status: 400, code: 'invalid_json', message: 'The body is not valid JSON' },
  ATR_ERR_TENANT_REQUIRED: { status: 400, code: 'tenant_required', message: 'Several tenants match: say which one' },
  ATR_ERR_PLAN_LIMIT: { status: 402, code: 'plan_limit', message: "Your company's plan does not allow more" },
  ATR_ERR_UNAUTHORIZED: { status: 401, code: 'unauthorized', message: 'Authentication required' },
  ATR_ERR_FORBIDDEN: { status: 403, code: 'forbidden', message: 'You are not allowed to do this' },
  ATR_ERR_TENANT_SUSPENDED: {
    status: 403,
    code: 'tenant_suspended',
    message: "Your company's account is suspended: contact the platform's support",
  },
  ATR_ERR_NOT_FOUND: { status: 404, code: 'not_found', message: 'Not found' },
  ATR_ERR_MODULE_DISABLED: { status: 404, code: 'module_disabled', message: 'This module is not enabled for your company' },
  ATR_ERR_CONFLICT: { status: 409, code: 'conflict', message: 'Conflict' },
  ATR_ERR_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'The request took too long to arrive' },
  ATR_ERR_PAYLOAD_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The body is larger than 1 MB' },
  ATR_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'The body must be application/json' },
  ATR_ERR_HEADERS_TOO_LARGE: { status: 431, code: 'headers_too_large', message: 'The URL or the headers are too large' },
  ATR_ERR_RATE_LIMITED: { status: 429, code: 'rate_limited', message: 'Too many attempts, try again later' },
  ATR_ERR_UNAVAILABLE: { status: 503, code: 'unavailable', message: 'The database is unavailable, try again shortly' },
  ATR_ERR_INTERNAL: { status: 500, code: 'internal', message: 'Internal error' },
} as const;

export type ErrorKey = keyof typeof ERRORS;

export type { FieldProblem } from '@atrium/protocol';

export class AtriumError extends Error {
  readonly key: ErrorKey;
  readonly statusCode: number;
  readonly code: string;
  readonly details: unknown;

  constructor(key: ErrorKey, message?: string, details?: unknown) {
    super(message ?? ERRORS[key].message);
    this.name = 'AtriumError';
    this.key = key;
    this.statusCode = ERRORS[key].status;
    this.code = ERRORS[key].code;
    this.details = details;
  }

  static validation(problems: FieldProblem[]): AtriumError {
    const message =
      problems.length === 1
        ? `${fieldTitle(problems[0].field)} ${problems[0].message}`
        : `${problems.length} problems: ${problems.map((p) => fieldTitle(p.field)).join(', ')}`;
    return new AtriumError('ATR_ERR_VALIDATION', message, problems);
  }

  static invalidField(field: string, rule: string, message: string): AtriumError {
    return AtriumError.validation([{ field, rule, message }]);
  }

  static notFound(message = 'Not found'): AtriumError {
    return new AtriumError('ATR_ERR_NOT_FOUND', message);
  }

  static forbidden(message?: string): AtriumError {
    return new AtriumError('ATR_ERR_FORBIDDEN', message);
  }

  static conflict(message: string, details?: unknown): AtriumError {
    return new AtriumError('ATR_ERR_CONFLICT', message, details);
  }

  static unauthorized(message?: string): AtriumError {
    return new AtriumError('ATR_ERR_UNAUTHORIZED', message);
  }

  static moduleDisabled(module: string): AtriumError {
    return new AtriumError('ATR_ERR_MODULE_DISABLED', `The module "${module}" is not enabled for your company`);
  }

  static tenantSuspended(): AtriumError {
    return new AtriumError('ATR_ERR_TENANT_SUSPENDED');
  }

  /** Over a limit of the tenant's plan: `details` lists each limit with its max and the current value. */
  static planLimit(exceeded: PlanLimitExceeded[]): AtriumError {
    const [first] = exceeded;
    if (!first) return new AtriumError('ATR_ERR_PLAN_LIMIT', undefined, exceeded);
    const what = first.limit === 'records' && first.model ? `${first.model} records` : first.limit;
    return new AtriumError(
      'ATR_ERR_PLAN_LIMIT',
      `Your company's plan allows ${first.max} ${what} (you have ${first.current}): upgrade the plan to add more`,
      exceeded,
    );
  }

  /** 429 for a tenant over its plan's API requests per minute (`details` as plan_limit's); Retry-After goes with it. */
  static requestsPerMinute(max: number, current: number, retryAfterSeconds: number): AtriumError {
    const exceeded: PlanLimitExceeded[] = [{ limit: 'requests_per_minute', max, current }];
    return new AtriumError(
      'ATR_ERR_RATE_LIMITED',
      `Your company's plan allows ${max} requests per minute: try again in ${retryAfterSeconds} s`,
      exceeded,
    );
  }

  static unavailable(): AtriumError {
    return new AtriumError('ATR_ERR_UNAVAILABLE');
  }

  toBody(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** A problem in what a module declares or in the platform's configuration: start-up stops with these lines. */
export class StartupError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Atrium cannot start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StartupError';
    this.problems = problems;
  }
}
