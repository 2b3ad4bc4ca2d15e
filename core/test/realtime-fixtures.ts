import type { SignedIn } from '../src/platform/testing/index.ts';

/** A sales stage (deals need one), created by an admin. */
export async function newStage(admin: SignedIn, name = 'New'): Promise<string> {
  const response = await admin.request({ method: 'POST', url: '/api/records/sales.stage', payload: { name, sequence: 1 } });
  if (response.statusCode !== 201) throw new Error(`stage: ${response.statusCode} ${response.body}`);
  return response.json().id;
}

/** Creates a record through the API and returns it (fails loudly on anything but 201). */
export async function create(
  user: SignedIn,
  model: string,
  payload: Record<string, unknown>,
): Promise<{ id: string; version: number; [field: string]: unknown }> {
  const response = await user.request({ method: 'POST', url: `/api/records/${model}`, payload });
  if (response.statusCode !== 201) throw new Error(`create ${model}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Polls until `condition` holds (for what no frame announces, e.g. a socket dropped server-side). */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
