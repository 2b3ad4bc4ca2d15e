import { createAtriumClient, type Schemas } from '@atrium/client';
import { ApiError } from './api';
import { answer } from './api-client';

/** A tenant as the operator sees it (docs/api.md, "The operator"). */
export type OperatorTenant = Schemas['OperatorTenant'];
export type OperatorAuditEntry = Schemas['OperatorAuditEntry'];

const TOKEN_KEY = 'atrium.operator';

/**
 * The operator console's door to `/api/operator/*`: the typed client with its own token (never a tenant user's),
 * kept for the tab only (sessionStorage).
 */
class OperatorApi {
  token = $state<string | null>(sessionStorage.getItem(TOKEN_KEY));
  private readonly client = createAtriumClient({ baseUrl: '', token: () => this.token });

  async login(email: string, password: string): Promise<void> {
    const signedIn = await this.call(this.client.POST('/api/operator/login', { body: { email, password } }));
    sessionStorage.setItem(TOKEN_KEY, signedIn.token);
    this.token = signedIn.token;
  }

  logout(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    this.token = null;
  }

  plans = async () => (await this.call(this.client.GET('/api/operator/plans'))).data;
  tenants = async () => (await this.call(this.client.GET('/api/operator/tenants'))).data;
  audit = async () => (await this.call(this.client.GET('/api/operator/audit'))).data;
  update = (id: string, changes: { plan?: string; status?: OperatorTenant['status'] }) =>
    this.call(this.client.PATCH('/api/operator/tenants/{id}', { params: { path: { id } }, body: changes }));

  /** The tenant's data as a JSON file, saved by the browser. */
  async download(tenant: OperatorTenant): Promise<void> {
    const exported = this.client.GET('/api/operator/tenants/{id}/export', { params: { path: { id: tenant.id } }, parseAs: 'blob' });
    const url = URL.createObjectURL(await this.call(exported));
    const link = Object.assign(document.createElement('a'), { href: url, download: `${tenant.slug}-export.json` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** The answer's data; a refused token (401) signs the operator out, but a wrong password at sign-in does not. */
  private async call<T>(request: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    try {
      return await answer(request);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && this.token) this.logout();
      throw error;
    }
  }
}

export const operatorApi = new OperatorApi();
