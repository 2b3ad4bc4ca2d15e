import { createAtriumClient } from '@atrium/client';
import { currentToken, failure, unreachable } from './api';

/**
 * The typed client (@atrium/client, generated from the OpenAPI document) with the session's token: the
 * administration and sign-in calls go through it (lib/admin-api.ts, lib/session.svelte.ts). Record calls keep
 * lib/api.ts, whose models are only known at run time (/api/meta).
 */
export const client = createAtriumClient({ baseUrl: '', token: currentToken });

/** The data of an answer, or its ApiError as api() throws them. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw unreachable();
  }
  if (result.response.ok) return result.data as T;
  throw failure(result.response, result.error);
}
