import type { SignedIn, TestApp } from '../src/platform/testing/index.ts';
import { call } from './helpers.ts';
import type { Frame, TestSocket } from './socket-client.ts';

/** The next frame of this type (frames of other types, such as record events, are passed over). */
export async function nextOf(socket: TestSocket, type: string, timeoutMs = 10_000): Promise<Frame> {
  for (;;) {
    const frame = await socket.next(timeoutMs);
    if (frame.type === type) return frame;
  }
}

/** The names of the users a presence frame lists, sorted. */
export const names = (frame: Frame): string[] => (frame.users as { name: string }[]).map((u) => u.name).sort();

/**
 * The first presence frame that lists exactly these names. Another node's watchers reach a node by the bus, so a
 * local change can be framed before they arrive; the node frames the list again when they do.
 */
export async function presenceOf(socket: TestSocket, expected: string[], timeoutMs = 10_000): Promise<Frame> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const frame = await nextOf(socket, 'presence', Math.max(1, until - Date.now()));
    if (JSON.stringify(names(frame)) === JSON.stringify([...expected].sort())) return frame;
  }
}

/** Frames of this type received so far (consumed or not). */
export const framesOf = (socket: TestSocket, type: string): Frame[] => socket.frames.filter((f) => f.type === type);

/**
 * A tenant with an admin, a salesperson (role user) and a user whose only role reads no deal at all; plus
 * a deal owned by the admin.
 */
export async function salesTeam(
  testApp: TestApp,
): Promise<{ admin: SignedIn; sam: SignedIn; hidden: SignedIn; deal: string; stage: string }> {
  const admin = await testApp.signup();
  const role = await call(admin, 'POST', '/api/admin/roles', { name: 'companies_only', permissions: { 'dir.company': { read: true } } });
  if (role.status !== 201) throw new Error(`role: ${role.status} ${JSON.stringify(role.body)}`);
  const sam = await testApp.addUser(admin, ['user'], 'Sam');
  const hidden = await testApp.addUser(admin, ['companies_only'], 'Hidden');
  const stage = (await call(admin, 'POST', '/api/records/sales.stage', { name: 'New', sequence: 1 })).body.id as string;
  const deal = (await call(admin, 'POST', '/api/records/sales.deal', { name: 'Acme', stage })).body.id as string;
  return { admin, sam, hidden, deal, stage };
}
