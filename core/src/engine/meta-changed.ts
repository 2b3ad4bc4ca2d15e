import type { Bus } from './events/bus.ts';

/**
 * After a change of what a tenant's `/api/meta` says (a view patch, a custom field) has committed: every
 * node drops the tenant's cached state, and every socket of the tenant is sent `{"type":"meta_changed"}`
 * once it holds the new session, so open shells reload their meta and redraw. `cursor`: the change's own
 * event, if it wrote one (events up to it are judged with the state before, see ControlMessage).
 */
export function announceMetaChanged(bus: Pick<Bus, 'control'>, tenantId: string, cursor?: number): Promise<void> {
  return bus.control({ kind: 'tenant', tenantId, meta: true, ...(cursor === undefined ? {} : { cursor }) });
}
