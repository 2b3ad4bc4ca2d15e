import t from 'tap';
import { fileURLToPath } from 'node:url';
import { startTestApp, type SignedIn } from '@atrium/core/testing';

const app = await startTestApp({ modules: ['contacts', 'projects'], modulesDir: fileURLToPath(new URL('../..', import.meta.url)) });
t.teardown(() => app.close());
const admin = await app.signup('Projects Co');
const manager = await app.addUser(admin, ['manager'], 'Mia Manager');
const dev = await app.addUser(admin, ['user'], 'Dev One');
const dev2 = await app.addUser(admin, ['user'], 'Dev Two');

async function call(who: SignedIn, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  const response = await who.request({ method, url, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
}

t.test('stages are seeded per tenant; tasks start in the first one, assigned to their creator', async (t) => {
  const stages = await call(dev, 'GET', '/api/records/projects.stage');
  t.same(
    stages.body.data.map((s: { name: string }) => s.name),
    ['To do', 'In progress', 'Review', 'Done'],
  );
  const project = await call(manager, 'POST', '/api/records/projects.project', { name: 'Website' });
  t.equal(project.status, 201);
  t.equal(project.body.manager.display, 'Mia Manager');
  const task = await call(dev, 'POST', '/api/records/projects.task', { name: 'Landing page', project: project.body.id, estimate: 3 });
  t.equal(task.status, 201);
  t.equal(task.body.stage.display, 'To do');
  t.equal(task.body.assignee.id, dev.user.id);
});

t.test('the task board: counts and estimate sums per stage; tasks per project on its form', async (t) => {
  const project = (
    await call(manager, 'POST', '/api/records/projects.project', {
      name: 'Mobile app',
      tasks: [
        { name: 'Login screen', estimate: 5 },
        { name: 'Push notifications', estimate: 8, priority: '3' },
      ],
    })
  ).body;
  t.same(
    project.tasks.map((x: { name: string; stage: { display: string } }) => `${x.name}: ${x.stage.display}`).sort(),
    ['Login screen: To do', 'Push notifications: To do'],
    'tasks written inline with the project start in the first stage too',
  );
  const groups = await call(
    dev,
    'GET',
    `/api/records/projects.task/groups?by=stage&sum=estimate&filter=${encodeURIComponent(JSON.stringify({ project: project.id }))}`,
  );
  t.same(
    groups.body.data.map((g: { label: string; count: number; sum: number }) => [g.label, g.count, g.sum]),
    [['To do', 2, 13]],
  );
  const perProject = await call(dev, 'GET', '/api/records/projects.task/groups?by=project');
  t.same(perProject.body.data.find((g: { label: string }) => g.label === 'Mobile app').count, 2);
});

t.test('permissions: users update only their own tasks; managers run projects', async (t) => {
  const project = (await call(manager, 'POST', '/api/records/projects.project', { name: 'Ops' })).body;
  const mine = (await call(dev, 'POST', '/api/records/projects.task', { name: 'Mine', project: project.id })).body;
  const theirs = (await call(dev2, 'POST', '/api/records/projects.task', { name: 'Theirs', project: project.id })).body;
  const review = (await call(dev, 'GET', '/api/records/projects.stage')).body.data[2].id;
  t.equal((await call(dev, 'PATCH', `/api/records/projects.task/${mine.id}`, { stage: review })).status, 200, 'drag own task');
  t.equal((await call(dev, 'PATCH', `/api/records/projects.task/${theirs.id}`, { stage: review })).status, 403, "not someone else's");
  t.equal((await call(manager, 'PATCH', `/api/records/projects.task/${theirs.id}`, { stage: review, assignee: dev.user.id })).status, 200);
  t.equal((await call(dev, 'POST', '/api/records/projects.project', { name: 'Side project' })).status, 403);
  t.equal((await call(dev, 'DELETE', `/api/records/projects.task/${mine.id}`)).status, 403);
  t.equal((await call(manager, 'DELETE', `/api/records/projects.project/${project.id}`)).status, 204);
  t.equal((await call(dev, 'GET', `/api/records/projects.task/${mine.id}`)).status, 404, "a project's tasks go with it");
});

t.test('isolation: another tenant sees nothing and cannot link to these records', async (t) => {
  const project = (await call(manager, 'POST', '/api/records/projects.project', { name: 'Secret' })).body;
  const task = (await call(manager, 'POST', '/api/records/projects.task', { name: 'Hidden', project: project.id })).body;
  const other = await app.signup('Other Co');
  for (const url of [
    `/api/records/projects.project/${project.id}`,
    `/api/records/projects.task/${task.id}`,
    `/api/records/projects.task/${task.id}/history`,
  ]) {
    t.equal((await call(other, 'GET', url)).status, 404, url);
  }
  t.equal((await call(other, 'PATCH', `/api/records/projects.task/${task.id}`, { name: 'x' })).status, 404);
  t.equal((await call(other, 'GET', '/api/records/projects.task')).body.total, 0);
  const linked = await call(other, 'POST', '/api/records/projects.task', { name: 'x', project: project.id });
  t.equal(linked.status, 400);
  t.equal(linked.body.error.details[0].field, 'project');
});
