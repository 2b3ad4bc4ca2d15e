import { AtriumError, defineModule, relationId, type TenantRecords, type WriteContext } from '@atrium/core';
import type { Models } from './models.generated.ts';

const PARTNER = 'contacts.partner';
type Partner = Models[typeof PARTNER]['record'];

/** What every many2one to a contact shows: the name, after the company's for a person of a company. */
const displayName = (name: string, company: Pick<Partner, 'name'> | null): string => (company ? `${company.name}, ${name}` : name);

/** The company a partner points to, checked: it exists in this tenant, is a company, and is not the partner itself. */
async function companyOf(ctx: WriteContext<Models, typeof PARTNER>, companyId: string): Promise<Partner> {
  if (companyId === ctx.current?.id) throw AtriumError.invalidField('company', 'self', 'cannot be the contact itself');
  const company = await ctx.records.get(PARTNER, companyId);
  if (!company) throw AtriumError.invalidField('company', 'relation', 'refers to a record that does not exist or that you may not see');
  if (!company.is_company) throw AtriumError.invalidField('company', 'company', `"${company.name}" is not a company`);
  return company;
}

/** The people of a company, a page at a time (a big company may have thousands). */
async function* peopleOf(records: TenantRecords<Models>, companyId: string): AsyncGenerator<Partner> {
  let after: string | undefined;
  for (;;) {
    const page = await records.find(PARTNER, { company: companyId, ...(after ? { id: { $gt: after } } : {}) }, { sort: 'id', limit: 500 });
    yield* page;
    if (page.length < 500) return;
    after = page.at(-1)!.id;
  }
}

async function beforeWritePartner(ctx: WriteContext<Models, typeof PARTNER>): Promise<void> {
  const { values, current } = ctx;
  const isCompany = ctx.has('is_company') ? values.is_company === true : current?.is_company === true;
  if (current?.is_company && !isCompany) {
    const [person] = await ctx.records.find(PARTNER, { company: current.id }, { limit: 1 });
    if (person) throw AtriumError.conflict(`${current.name} still has contacts: move them to another company first`);
  }
  if (!ctx.has('name') && !ctx.has('company')) return;

  const name = ctx.has('name') ? String(values.name) : current!.name;
  const companyId = ctx.has('company') ? relationId(values.company) : relationId(current?.company);
  values.display_name = displayName(name, companyId ? await companyOf(ctx, companyId) : null);

  // A renamed company renames its people's display names too, in the same transaction.
  if (current?.is_company && ctx.has('name') && name !== current.name) {
    for await (const person of peopleOf(ctx.records, current.id)) {
      await ctx.records.update(PARTNER, person.id, { display_name: displayName(person.name, { name }) });
    }
  }
}

export default defineModule<Models>({
  models: {
    [PARTNER]: { beforeWrite: beforeWritePartner },
  },
});
