import { ApiError, responseError } from './api';

/** A tenant as the operator sees it (docs/api.md, "The operator"). */
export interface OperatorTenant {
  id: string;
  name: string;
  slug: string;
  plan: string;
  status: 'active' | 'suspended';
  users: number;
  records: number;
  created_at: string;
  last_activity_at: string | null;
}

export interface OperatorAuditEntry {
  id: string;
  tenant_id: string;
  at: string;
  operator: string;
  action: string;
  details: Record<string, unknown>;
}

const TOKEN_KEY = 'atrium.operator';

/**
 * The operator console's door to `/api/operator/*`: its own token (never a tenant user's), kept for the tab
 * only (sessionStorage).
 */
class OperatorApi {
  token = $state<string | null>(sessionStorage.getItem(TOKEN_KEY));

  async login(email: string, password: string): Promise<void> {
    const answer = await this.call<{ token: string }>('POST', '/operator/login', { email, password });
    sessionStorage.setItem(TOKEN_KEY, answer.token);
    this.token = answer.token;
  }

  logout(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.token = null;
  }

  plans = async (): Promise<{ name: string; label: string }[]> =>
    (await this.call<{ data: { name: string; label: string }[] }>('GET', '/operator/plans')).data;
  tenants = async (): Promise<OperatorTenant[]> => (await this.call<{ data: OperatorTenant[] }>('GET', '/operator/tenants')).data;
  audit = async (): Promise<OperatorAuditEntry[]> => (await this.call<{ data: OperatorAuditEntry[] }>('GET', '/operator/audit')).data;
  update = (id: string, changes: { plan?: string; status?: OperatorTenant['status'] }): Promise<OperatorTenant> =>
    this.call('PATCH', `/operator/tenants/${id}`, changes);

  /** The tenant's data as a JSON file, saved by the browser. */
  async download(tenant: OperatorTenant): Promise<void> {
    const response = await this.fetch('GET', `/operator/tenants/${tenant.id}/export`);
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: `${tenant.slug}-export.json` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.fetch(method, path, body)).json()) as T;
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
    }
    if (response.ok) return response;
    const error = await responseError(response);
    if (response.status === 401 && path !== '/operator/login') this.logout();
    throw error;
  }
}

export const operatorApi = new OperatorApi();
