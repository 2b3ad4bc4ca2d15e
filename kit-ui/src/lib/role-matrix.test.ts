import t from 'tap';
import type { FieldMeta, ModelMeta } from '@atrium/protocol';
import { accessOf, accessOfKind, actionsAccess, fieldAllowed, toMatrix, toPermissions, withField } from './role-matrix';

const field = (kind: FieldMeta['kind'], model?: string): FieldMeta => ({
  type: kind,
  kind,
  widget: 'text',
  label: 'x',
  required: false,
  readonly: false,
  model,
});
const modelMeta = (fields: Record<string, FieldMeta>, actions: string[] = [], system = false): ModelMeta => ({
  label: 'M',
  plural: 'Ms',
  display: 'name',
  search: ['name'],
  order: 'name',
  system,
  fields,
  actions: actions.map((name) => ({ name, label: name, params: {}, style: 'secondary' })),
  reports: [],
  can: { create: true, update: true, delete: true },
});
const models: Record<string, ModelMeta> = {
  'crm.lead': modelMeta(
    {
      name: field('text'),
      salesperson: field('reference', 'core.user'),
      customer: field('reference', 'contacts.partner'),
      secret: field('text'),
    },
    ['mark_won', 'mark_lost'],
  ),
  'crm.stage': modelMeta({ name: field('text') }),
  'core.user': modelMeta({ name: field('text') }, [], true),
};

t.test('each grant reads as none, own records, all or a custom rule', async (t) => {
  const lead = models['crm.lead'];
  t.same(accessOf(undefined, lead), { kind: 'none' });
  t.same(accessOf(false, lead), { kind: 'none' });
  t.same(accessOf(true, lead), { kind: 'all' });
  t.same(accessOf({ salesperson: '$user' }, lead), { kind: 'own', field: 'salesperson' });
  t.same(accessOf({ created_by: '$user' }, lead), { kind: 'own', field: 'created_by' }, 'the author is an owner too');
  t.same(accessOf({ customer: '$user' }, lead), { kind: 'custom', rule: { customer: '$user' } }, 'not a link to a user: custom');
  t.same(accessOf({ salesperson: '$user', archived: false }, lead), { kind: 'custom', rule: { salesperson: '$user', archived: false } });
  t.same(accessOf({ salesperson: { $eq: '$user' } }, lead).kind, 'custom', 'an operator is not recognised: custom, kept as written');
});

t.test('permissions → matrix → permissions gives them back, with what the matrix cannot express', async (t) => {
  const permissions = {
    'crm.lead': {
      read: { salesperson: '$user' },
      create: true,
      update: { $or: [{ salesperson: '$user' }, { name: { $ilike: 'shared%' } }] },
      mark_won: { salesperson: '$user' },
      retired_action: true,
      fields: { read: ['name', 'salesperson', 'created_at'], write: ['name'] },
    },
    'crm.stage': { read: true },
    'gone.model': { read: true, delete: { anything: 1 } },
  };
  const matrix = toMatrix(permissions, models);
  t.same(
    matrix.rows.map((r) => r.model),
    ['crm.lead', 'crm.stage'],
    'a row per model the tenant has, none for system models',
  );
  const lead = matrix.rows[0];
  t.same(lead.crud.read, { kind: 'own', field: 'salesperson' });
  t.same(lead.crud.create, { kind: 'all' });
  t.equal(lead.crud.update.kind, 'custom');
  t.same(lead.crud.delete, { kind: 'none' });
  t.same(lead.actions, { mark_won: { kind: 'own', field: 'salesperson' }, mark_lost: { kind: 'none' } });
  t.equal(actionsAccess(lead), 'mixed');
  t.same(lead.kept, { retired_action: true }, 'an action the model no longer declares is kept');
  t.same(matrix.kept, { 'gone.model': permissions['gone.model'] }, 'a model switched off is kept');
  t.same(toPermissions(matrix), permissions, 'the round trip is the identity');
  t.same(toPermissions(toMatrix({}, models)), {}, 'no permission, no entry');
  t.same(toPermissions(toMatrix({ 'crm.stage': { read: false, delete: false } }, models)), {}, 'false is none');
});

t.test('editing the matrix writes the grants the records API enforces', async (t) => {
  const matrix = toMatrix({ 'crm.lead': { read: true, delete: true, mark_won: true, mark_lost: true } }, models);
  const lead = matrix.rows[0];
  t.same(actionsAccess(lead), { kind: 'all' }, 'every action alike: one cell');
  lead.crud.read = accessOfKind('own', models['crm.lead'], lead.crud.read);
  lead.crud.delete = accessOfKind('none', models['crm.lead'], lead.crud.delete);
  lead.crud.update = accessOfKind('custom', models['crm.lead'], lead.crud.read);
  t.same(lead.crud.update, { kind: 'custom', rule: { salesperson: '$user' } }, 'a custom rule starts from what the cell was');
  t.ok(fieldAllowed(lead, 'secret', 'read'), 'every field readable without a list');
  lead.fields = withField(lead, models['crm.lead'], 'secret', 'read', false);
  t.notOk(fieldAllowed(lead, 'secret', 'read'));
  t.notOk(fieldAllowed(lead, 'secret', 'write'), 'what cannot be read cannot be written');
  lead.fields = withField(lead, models['crm.lead'], 'customer', 'write', false);
  t.ok(fieldAllowed(lead, 'customer', 'read'));
  t.same(toPermissions(matrix), {
    'crm.lead': {
      read: { salesperson: '$user' },
      update: { salesperson: '$user' },
      mark_won: true,
      mark_lost: true,
      fields: { read: ['name', 'salesperson', 'customer'], write: ['name', 'salesperson'] },
    },
  });
});

t.test('own records on a model with no link to a user is by its author', async (t) => {
  const stage = models['crm.stage'];
  t.same(accessOfKind('own', stage, { kind: 'none' }), { kind: 'own', field: 'created_by' });
});
