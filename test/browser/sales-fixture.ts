/** Data for the fixture modules (dir, sales), written through the API as any client would. */
import type { SignedIn } from '../../core/src/testing/index.ts';

export interface Pipeline {
  stages: Record<string, string>;
  deals: Record<string, { id: string; version: number }>;
}

export async function post(user: SignedIn, model: string, body: object): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await user.request({ method: 'POST', url: `/api/records/${model}`, payload: body });
  if (response.statusCode !== 201) throw new Error(`POST ${model}: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function patch(user: SignedIn, model: string, id: string, body: object): Promise<{ id: string; version: number } & Record<string, unknown>> {
  const response = await user.request({ method: 'PATCH', url: `/api/records/${model}/${id}`, payload: body });
  if (response.statusCode !== 200) throw new Error(`PATCH ${model}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Stages New, Qualified, Won and a folded Lost, and a few deals with customers, amounts and priorities. */
export async function seedPipeline(admin: SignedIn): Promise<Pipeline> {
  const stages: Record<string, string> = {};
  for (const [i, name] of ['New', 'Qualified', 'Won', 'Lost'].entries()) stages[name] = (await post(admin, 'sales.stage', { name, sequence: i + 1, fold: name === 'Lost' })).id;
  const customer = await post(admin, 'dir.company', { name: 'Azure Interior' });
  const deals: Pipeline['deals'] = {};
  const rows: [string, string, string, string][] = [
    ['Office chairs', 'New', '1200.00', '1'],
    ['Desk renewal', 'New', '5400.50', '0'],
    ['Conference room', 'Qualified', '18000.00', '1'],
    ['Storage units', 'Lost', '450.00', '0'],
  ];
  for (const [name, stage, amount, priority] of rows) {
    const deal = await post(admin, 'sales.deal', { name, stage: stages[stage], partner: customer.id, amount, priority });
    deals[name] = { id: deal.id, version: deal.version };
  }
  return { stages, deals };
}
