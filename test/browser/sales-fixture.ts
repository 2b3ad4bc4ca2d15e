/** Data for the fixture modules (dir, sales), written through the API as any client would. */
import type { SignedIn } from '@atrium/core/testing';

export interface Pipeline {
  stages: Record<string, string>;
  deals: Record<string, { id: string; version: number }>;
}

export async function post(
  user: SignedIn,
  model: string,
  body: object,
): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await user.request({ method: 'POST', url: `/api/records/${model}`, payload: body });
  if (response.statusCode !== 201) throw new Error(`POST ${model}: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function patch(
  user: SignedIn,
  model: string,
  id: string,
  body: object,
): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await user.request({ method: 'PATCH', url: `/api/records/${model}/${id}`, payload: body });
  if (response.statusCode !== 200) throw new Error(`PATCH ${model}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/**
 * Stages Lead, Qualified, Won and a folded Lost (the fixture seeds Lead and a folded Won), and a few deals
 * with a customer, amounts and priorities.
 */
export async function seedPipeline(admin: SignedIn): Promise<Pipeline> {
  const seeded = await admin.request({ method: 'GET', url: '/api/records/sales.stage' });
  const stages: Record<string, string> = Object.fromEntries(seeded.json().data.map((s: { id: string; name: string }) => [s.name, s.id]));
  await patch(admin, 'sales.stage', stages.Won, { sequence: 3, fold: false });
  stages.Qualified = (await post(admin, 'sales.stage', { name: 'Qualified', sequence: 2 })).id;
  stages.Lost = (await post(admin, 'sales.stage', { name: 'Lost', sequence: 4, fold: true })).id;
  const customer = await post(admin, 'dir.company', { name: 'Azure Interior' });
  const deals: Pipeline['deals'] = {};
  const rows: [string, string, string, string][] = [
    ['Office chairs', 'Lead', '1200.00', '1'],
    ['Desk renewal', 'Lead', '5400.50', '0'],
    ['Conference room', 'Qualified', '18000.00', '1'],
    ['Storage units', 'Lost', '450.00', '0'],
  ];
  for (const [name, stage, amount, priority] of rows) {
    const deal = await post(admin, 'sales.deal', { name, stage: stages[stage], partner: customer.id, amount, priority });
    deals[name] = { id: deal.id, version: deal.version };
  }
  return { stages, deals };
}
