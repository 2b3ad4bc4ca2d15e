import t from 'tap';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { startTestApp, type SignedIn } from '@atrium/core/testing';

/** Projects gets live updates from the core with no line of its own: a task moved by one user reaches the others. */
const app = await startTestApp({ modules: ['contacts', 'projects'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const base = (await app.app.listen({ port: 0, host: '127.0.0.1' })).replace(/^http/, 'ws');

/** A socket that collects frames; `until` waits for one matching a predicate. */
async function socket(who: SignedIn) {
  const ws = new WebSocket(`${base}/api/ws?token=${who.token}`);
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()));
    waiters.splice(0).forEach((wake) => wake());
  });
  const until = async (match: (frame: Record<string, unknown>) => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = frames.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no such frame; got ${JSON.stringify(frames)}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  await until((f) => f.type === 'hello');
  return { frames, until, close: () => ws.close() };
}

t.test('a task moved on the board reaches another user of the tenant at once, and no other tenant', async (t) => {
  const admin = await app.signup('Live Projects');
  const dev = await app.addUser(admin, ['user'], 'Dev');
  const stranger = await app.signup('Elsewhere');
  const watcher = await socket(dev);
  const outsider = await socket(stranger);
  t.teardown(() => {
    watcher.close();
    outsider.close();
  });

  const project = (await admin.request({ method: 'POST', url: '/api/records/projects.project', payload: { name: 'Live' } })).json();
  const task = (
    await admin.request({
      method: 'POST',
      url: '/api/records/projects.task',
      payload: { name: 'Ship it', project: project.id, assignee: dev.user.id },
    })
  ).json();
  const created = await watcher.until((f) => f.type === 'event' && f.id === task.id);
  t.match(created, { op: 'created', model: 'projects.task', version: 1, record: { name: 'Ship it', stage: { display: 'To do' } } });

  const doing = (await dev.request({ method: 'GET', url: '/api/records/projects.stage' })).json().data[1];
  const moved = await dev.request({
    method: 'PATCH',
    url: `/api/records/projects.task/${task.id}`,
    headers: { 'if-match': '1' },
    payload: { stage: doing.id },
  });
  t.equal(moved.statusCode, 200);
  const update = await watcher.until((f) => f.type === 'event' && f.id === task.id && f.op === 'updated');
  t.match(update, { version: 2, record: { stage: { id: doing.id, display: 'In progress' } } });
  // A write in the other tenant is a barrier: events are fanned out in order, so a leak would be here by now.
  const own = (await stranger.request({ method: 'POST', url: '/api/records/projects.project', payload: { name: 'Theirs' } })).json();
  await outsider.until((f) => f.type === 'event' && f.id === own.id);
  t.same(
    outsider.frames.filter((f) => f.type === 'event').map((f) => f.id),
    [own.id],
    'the other tenant got only its own event',
  );
});
