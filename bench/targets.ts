/** How each server is asked the same things: Atrium through its record API, the raw baseline through its routes. */
import type { Accounted, HttpRequest } from './load.ts';
import type { BenchTenant } from './seed.ts';

export type Operation = 'create' | 'list' | 'groups';

export interface Target {
  name: 'raw' | 'atrium';
  base: string;
  /** The server's process and database, whose CPU the loads are charged with. */
  server?: Accounted;
  request(op: Operation, tenant: BenchTenant, name?: string): HttpRequest;
  /** The websocket URL of a tenant's user. */
  socketUrl(tenant: BenchTenant, user: number): string;
}

const json = { 'content-type': 'application/json' };
/** A kanban column's quick create: a name, an amount, the column's stage. */
const createBody = (tenant: BenchTenant, name: string): string =>
  JSON.stringify({ name, expected_revenue: '1250.00', stage: tenant.stage });

export const atrium = (base: string, server?: Accounted): Target => ({
  name: 'atrium',
  base,
  server,
  request(op, tenant, name = 'Bench lead') {
    const headers = { authorization: `Bearer ${tenant.users[0].token}` };
    if (op === 'create')
      return { method: 'POST', path: '/api/records/crm.lead', headers: { ...headers, ...json }, body: createBody(tenant, name) };
    if (op === 'list') return { method: 'GET', path: '/api/records/crm.lead?sort=-created_at&limit=50', headers };
    return { method: 'GET', path: '/api/records/crm.lead/groups?by=stage&sum=expected_revenue', headers };
  },
  socketUrl: (tenant, user) => `${base.replace('http', 'ws')}/api/ws?token=${tenant.users[user].token}`,
});

export const raw = (base: string, server?: Accounted): Target => ({
  name: 'raw',
  base,
  server,
  request(op, tenant, name = 'Bench lead') {
    const headers = { 'x-tenant': tenant.id, 'x-user': tenant.users[0].id };
    if (op === 'create') return { method: 'POST', path: '/leads', headers: { ...headers, ...json }, body: createBody(tenant, name) };
    if (op === 'list') return { method: 'GET', path: '/leads?limit=50', headers };
    return { method: 'GET', path: '/leads/groups', headers };
  },
  socketUrl: (tenant) => `${base.replace('http', 'ws')}/ws?tenant=${tenant.id}`,
});

/** Requests spread round-robin over the tenants. */
export function rotating(target: Target, op: Operation, tenants: BenchTenant[]): () => HttpRequest {
  let i = 0;
  return () => target.request(op, tenants[i++ % tenants.length]);
}
