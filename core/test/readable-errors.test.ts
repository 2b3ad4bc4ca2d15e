import t from 'tap';
import { call, seedDeal, startFixtureApp } from './helpers.ts';
import { fieldTitle, schemaErrorMessage } from '../src/kernel/schema-messages.ts';

const app = await startFixtureApp();
t.teardown(() => app.close());
const admin = await app.signup('Readable Co');
const RAW = /must NOT|must match|must have required|must be >=|must be <=|must be equal/;

t.test('a short signup password is refused in words that name the field', async (t) => {
  const answer = await app.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { company: 'Short Co', name: 'Ann', email: 'ann@short.test', password: 'short' },
  });
  t.equal(answer.statusCode, 400);
  const { error } = answer.json();
  t.equal(error.code, 'validation_failed', 'the error shape is kept');
  t.same(error.details, [{ field: 'password', rule: 'minLength', message: 'must be at least 8 characters' }]);
  t.equal(error.message, 'Password must be at least 8 characters');
});

t.test('a blank name and a bad email on the fixed routes read as sentences', async (t) => {
  const answer = await app.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: { company: ' ', name: 'Ann', email: 'nope', password: 'long enough' },
  });
  const details = answer.json().error.details as { field: string; message: string }[];
  t.same(Object.fromEntries(details.map((d) => [d.field, d.message])), {
    company: 'cannot be empty or only spaces',
    email: 'must be a valid email address',
  });
  t.equal(answer.json().error.message, '2 problems: Company, Email');
});

t.test('record bodies: lengths, bounds and types in words, never ajv text', async (t) => {
  const { stage, company } = await seedDeal(admin);
  const tooLong = await call(admin, 'POST', '/api/records/sales.deal', { name: 'x'.repeat(201), stage, partner: company });
  t.equal(tooLong.status, 400);
  t.same(tooLong.body.error.details, [{ field: 'name', rule: 'maxLength', message: 'must be at most 200 characters' }]);
  t.equal(tooLong.body.error.message, 'Name must be at most 200 characters');
  const bounds = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Deal', stage, partner: company, probability: 120 });
  t.equal(bounds.body.error.message, 'Probability must be 100 or less');
  const typed = await call(admin, 'POST', '/api/records/sales.deal', { name: 'Deal', stage, partner: company, probability: 'high' });
  t.notMatch(JSON.stringify(typed.body), RAW);
  t.match(typed.body.error.details[0], { field: 'probability' });
});

t.test('every rule has a sentence; field paths read as titles', async (t) => {
  t.equal(schemaErrorMessage({ keyword: 'minLength', params: { limit: 1 } }), 'cannot be empty');
  t.equal(schemaErrorMessage({ keyword: 'type', params: { type: 'integer' } }), 'must be a whole number');
  t.equal(schemaErrorMessage({ keyword: 'maxItems', params: { limit: 1 } }), 'must have at most 1 item');
  t.equal(
    schemaErrorMessage({ keyword: 'someday', params: {}, message: 'must NOT be raw' }),
    'is not valid',
    'an unknown rule never leaks ajv text',
  );
  t.equal(fieldTitle('expected_revenue'), 'Expected revenue');
  t.equal(fieldTitle('lines.0.quantity'), 'Lines 1: quantity');
});
