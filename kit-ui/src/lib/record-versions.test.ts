import t from 'tap';
import { NewestVersions } from './record-versions';
import type { RecordEvent } from '@atrium/protocol';

const event = (id: string, version: number, op: RecordEvent['op'] = 'updated') => ({ model: 'crm.lead', id, op, version });

t.test('an event older than the version already shown of its record is dropped', async (t) => {
  const versions = new NewestVersions();
  t.ok(versions.admit(event('a', 1, 'created')));
  t.ok(versions.admit(event('a', 3)), 'a newer version');
  t.notOk(versions.admit(event('a', 2)), 'an older one, arriving late (a replay overtaken by live events)');
  t.notOk(versions.admit(event('a', 1, 'created')), 'nor its creation');
  t.ok(versions.admit(event('a', 3)), 'the same version again (an echo) is left to the views, which ignore it');
  t.ok(versions.admit(event('b', 1, 'created')), 'other records are judged on their own');
  t.ok(versions.admit({ ...event('a', 2), model: 'crm.stage' }), 'as are records of other models with the same id');
});

t.test('a deletion carries the version the record had: it follows that update, and nothing of that version comes after it', async (t) => {
  const versions = new NewestVersions();
  t.ok(versions.admit(event('a', 4)));
  t.ok(versions.admit(event('a', 4, 'deleted')), 'the deletion after the last update');
  t.notOk(versions.admit(event('a', 4)), 'the update, late, does not bring it back');
  t.notOk(versions.admit(event('a', 3, 'deleted')), 'nor does an older deletion count');
});

t.test('it remembers a bounded number of records, forgetting the least recently changed', async (t) => {
  const versions = new NewestVersions(2);
  versions.admit(event('a', 5));
  versions.admit(event('b', 5));
  versions.admit(event('a', 6));
  versions.admit(event('c', 5));
  t.ok(versions.admit(event('b', 1)), 'b was forgotten');
  t.notOk(versions.admit(event('c', 1)), 'c is still known');
});
