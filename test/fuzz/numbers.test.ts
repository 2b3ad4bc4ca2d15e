import t from 'tap';
import fc from 'fast-check';
import { startFuzzApp } from './support/fuzz-app.ts';
import type { FieldDef, ModelDef } from '@atrium/core/testing';
import { money } from '@atrium/protocol';
import { validBody } from './support/bodies.ts';
import { RawNumber, withRawNumbers } from './support/values.ts';
import { fuzzParameters, problemWith, SEED, tenantSnapshot } from './support/oracle.ts';
import { coreType } from '../support/core-type.ts';

const { format: formatMoney } = money;

/**
 * Number texts in every numeric field of every shipped model and of its lines, sent digit for digit:
 * exponents, more digits than a double holds, past its range. Never a 5xx; a refusal names the field
 * and changes nothing; what is accepted reads back exactly as written (an amount to the cent, a number
 * as the double the text denotes).
 */
const { app, admin, failures, ids: known } = await startFuzzApp(t, 'Numbers');
// crm's hook sets a lead's probability to 100 in a won stage (as Odoo does): the leads written here go to
// stages that are not won, so what is read back is what was sent.
const wonStages = new Set<string>(
  (await admin.request({ method: 'GET', url: `/api/records/crm.stage?filter=${encodeURIComponent('{"is_won":true}')}` }))
    .json()
    .data.map((stage: { id: string }) => stage.id),
);
const ids = (model: string): string[] => known(model).filter((id) => !wonStages.has(id));
const { registry } = app.app.platform;
const lookup = (id: string): ModelDef => registry.models.get(id)!;
const NUMERIC = new Set(['integer', 'number', 'money']);

/** A numeric field to write: on the model, or on its lines (`lines.0.unit_price`). */
interface Target {
  model: ModelDef;
  field: FieldDef;
  line?: FieldDef;
}
const targets: Target[] = [...registry.models.values()]
  .filter((m) => !m.system)
  .flatMap((model) =>
    Object.values(model.fields).flatMap((field): Target[] => {
      if (NUMERIC.has(coreType(field)) && !field.readonly) return [{ model, field }];
      if (coreType(field) !== 'one2many' || field.readonly) return [];
      return Object.values(lookup(field.target!).fields)
        .filter((f) => NUMERIC.has(coreType(f)) && !f.readonly)
        .map((f) => ({ model, field: f, line: field }));
    }),
  );

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc.constantFrom(
    '1e21',
    '1e-7',
    '1e300',
    '-1e-300',
    '5e-324',
    '1e400',
    '-1e400',
    '1e-400',
    '9007199254740993',
    '123456789012345678901234567890',
    '0.10000000000000000001',
    '1E2',
    '1.5e+2',
    '-0',
    '0e0',
    '1e14',
    '99999999999999.99',
  ),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.integer({ min: -400, max: 400 }))
    .map(([mantissa, exponent]) => `${mantissa}e${exponent}`),
  fc
    .tuple(fc.stringMatching(/^[1-9][0-9]{0,29}$/), fc.stringMatching(/^[0-9]{1,30}$/), fc.boolean())
    .map(([whole, fraction, negative]) => `${negative ? '-' : ''}${whole}.${fraction}`),
);

t.test(`number texts in ${targets.length} numeric fields (seed ${SEED})`, async (t) => {
  let before = await tenantSnapshot(app.app, admin.tenant.id);
  const outcomes: Record<number, number> = {};
  const target = fc
    .constantFrom(...targets)
    .chain((target) =>
      fc.tuple(
        fc.constant(target),
        validBody(target.model, 'create', ids, lookup),
        target.line ? validBody(lookup(target.line.target!), 'create', ids, lookup, { without: target.line.inverse }) : fc.constant({}),
        numberText,
      ),
    );
  await fc.assert(
    fc.asyncProperty(target, async ([{ model, field, line }, body, lineBody, text]) => {
      const value = new RawNumber(text);
      const sent = line ? { ...body, [line.name]: [{ ...lineBody, [field.name]: value }] } : { ...body, [field.name]: value };
      const path = line ? `${line.name}.0.${field.name}` : field.name;
      const response = await admin.request({
        method: 'POST',
        url: `/api/records/${model.id}`,
        headers: { 'content-type': 'application/json' },
        payload: withRawNumbers(JSON.stringify(sent)),
      });
      outcomes[response.statusCode] = (outcomes[response.statusCode] ?? 0) + 1;
      const problem = problemWith(response, Object.keys(sent));
      if (problem) throw new Error(`${model.id} ${path}=${text}: ${problem}`);
      const after = await tenantSnapshot(app.app, admin.tenant.id);
      if (response.statusCode >= 400) {
        const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
        if (changed.length) throw new Error(`${model.id} ${path}=${text} was refused but changed ${changed.join(', ')}`);
        return;
      }
      before = after;
      const record = (await admin.request({ method: 'GET', url: `/api/records/${model.id}/${response.json().id}` })).json();
      const stored = line ? record[line.name][0][field.name] : record[field.name];
      const expected = coreType(field) === 'money' ? formatMoney(text, 2) : Number(text);
      if (stored !== expected && !(expected === 0 && stored === 0))
        throw new Error(`${model.id} ${path}=${text} was stored as ${JSON.stringify(stored)}, not ${JSON.stringify(expected)}`);
    }),
    fuzzParameters(400),
  );
  t.ok((outcomes[201] ?? 0) > 20 && (outcomes[400] ?? 0) > 20, `numbers both got through and were refused: ${JSON.stringify(outcomes)}`);
  t.same(failures, [], 'no unhandled rejection or uncaught exception');
});
