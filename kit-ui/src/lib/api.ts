/**
 * The one door to the server: JSON over fetch with the session's bearer token. Every failure becomes an
 * ApiError carrying the API's error code and details (docs/api.md, "Errors").
 */

export interface FieldProblem {
  field: string;
  rule: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The per-field problems of a 400 `validation_failed`. */
  get problems(): FieldProblem[] {
    return this.code === 'validation_failed' && Array.isArray(this.details) ? (this.details as FieldProblem[]) : [];
  }

  /** What a form lists under its fields when a save fails: each field's problem, else the error's message. */
  static problemLines(error: unknown): string[] {
    if (error instanceof ApiError && error.problems.length > 0) return error.problems.map((p) => `${p.field}: ${p.message}`);
    return [error instanceof Error ? error.message : 'Something went wrong'];
  }
}

let token: string | null = null;
let onUnauthorized: (code: string) => void = () => {};
let onPlanLimit: (error: ApiError) => void = () => {};

/**
 * The session sets its token here, and what to do when the server no longer accepts it (the error's code:
 * `unauthorized`, or `tenant_suspended`); the shell, what to do when a write is over the company's plan
 * (402 `plan_limit`, or 429 `rate_limited` for its requests per minute: explain it, with a way to upgrade).
 */
export function configureApi(options: {
  token?: string | null;
  onUnauthorized?: (code: string) => void;
  onPlanLimit?: (error: ApiError) => void;
}): void {
  if (options.token !== undefined) token = options.token;
  if (options.onUnauthorized) onUnauthorized = options.onUnauthorized;
  if (options.onPlanLimit) onPlanLimit = options.onPlanLimit;
}

export type Query = Record<string, string | number | undefined>;

/** The error of a request that got no answer at all (offline, server down). */
export const unreachable = (): ApiError => new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');

/** fetch with the session's token, for what is not JSON (a file's download or upload); the caller reads the response. */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  try {
    return await fetch(`/api${path}`, { ...init, headers });
  } catch {
    throw unreachable();
  }
}

type ErrorBody = { error?: { code: string; message: string; details?: unknown } } | null;

/** The API's error of a response that is not ok, its body not read yet. */
export async function responseError(response: Response): Promise<ApiError> {
  return failure(response, await response.json().catch(() => null));
}

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** The record version the client last saw (optimistic locking). */
  ifMatch?: number;
}

export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(options.query ?? {})) if (value !== undefined) params.set(key, String(value));
  const url = `/api${path}${params.size > 0 ? `?${params}` : ''}`;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['if-match'] = String(options.ifMatch);
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw unreachable();
  }
  if (response.status === 204) return undefined as T;
  const payload = await response.json().catch(() => null);
  if (response.ok) return payload as T;
  throw failure(response, payload);
}

/** A 429 for the company's plan (its requests per minute), not a login's attempt limit. */
const isOverRequestRate = (failed: ApiError): boolean =>
  failed.code === 'rate_limited' &&
  Array.isArray(failed.details) &&
  failed.details.some((d: { limit?: unknown }) => d?.limit === 'requests_per_minute');

/**
 * The error of an answer that is not ok, its payload parsed: a token the server no longer takes (or a
 * suspended company) ends the session; a plan's limit is also told to the shell (see configureApi). Every
 * caller (api(), responseError(), the typed client's answer()) comes through here.
 */
export function failure(response: Response, payload: unknown): ApiError {
  const { status } = response;
  const error = (payload as ErrorBody)?.error;
  const failed = new ApiError(status, error?.code ?? 'http_error', error?.message ?? `The server answered ${status}`, error?.details);
  // A sign-in's own refusal is not a session ending; a suspended company (403 tenant_suspended) ends it as a refused token does.
  const signingIn = new URL(response.url, location.href).pathname.startsWith('/api/auth/');
  if ((status === 401 || failed.code === 'tenant_suspended') && token && !signingIn) onUnauthorized(failed.code);
  if (failed.code === 'plan_limit' || isOverRequestRate(failed)) onPlanLimit(failed);
  return failed;
}

/** The session's token (for the typed client, lib/api-client.ts). */
export const currentToken = (): string | null => token;

/** A file the API answers (a report's PDF, a mail's attachment), as a Blob; failures as for api(). */
export async function apiFile(path: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw unreachable();
  }
  if (response.ok) return response.blob();
  throw await responseError(response);
}

/** Opens a file the API answers in a new tab (the browser's PDF viewer). */
export async function openFile(path: string): Promise<void> {
  const url = URL.createObjectURL(await apiFile(path));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
