import { api, ApiError, configureApi } from './api';
import { answer, client } from './api-client';
import { liveSocket } from './live-socket.svelte';
import type { Me, MenuMeta, Meta } from '@atrium/protocol';
import { abilityFromPacked, type Ability } from './permissions';

const TOKEN_KEY = 'atrium.token';
const ENDED = 'Your session has ended. Please sign in again.';
const SUSPENDED = "Your company's account is suspended. Contact the platform's support.";
const RETRY_MS = 3000;

/** When a token expires (its `exp` claim, in ms); the shell does not verify it, the server does. */
function expiryOf(token: string): number {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
  } catch {
    return 0;
  }
}

export interface MenuSection {
  module: string;
  label: string;
  menus: MenuMeta[];
}

/**
 * Who is signed in, and what the server says they may see: `/api/me` (user, tenant, roles, packed
 * abilities) and `/api/meta` (models, views, menus of the enabled modules). Both are fetched again when an
 * admin turns a module on or off (the socket's `modules` message) or changes the tenant's fields and views
 * (`meta_changed`), so menus and open views change without a reload.
 */
class Session {
  status = $state<'loading' | 'unreachable' | 'signed-out' | 'ready'>('loading');
  me = $state<Me | null>(null);
  meta = $state<Meta | null>(null);
  /** Why the user was signed out, shown on the login page. */
  notice = $state<string | null>(null);
  ability = $derived<Ability | null>(this.me ? abilityFromPacked(this.me.abilities, this.meta?.models ?? {}) : null);
  isAdmin = $derived(this.me?.roles.includes('admin') ?? false);
  menuSections = $derived<MenuSection[]>(this.meta ? sections(this.meta) : []);
  private token: string | null = null;
  private renewal: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    liveSocket.onModules(() => void this.refresh().catch(() => undefined));
    liveSocket.onMetaChanged(() => void this.refresh().catch(() => undefined));
    // Signing out in one tab signs out the others.
    addEventListener('storage', (event) => {
      if (event.key === TOKEN_KEY && event.newValue === null && this.token) this.end(null);
    });
  }

  /**
   * On page load: a stored token is tried; a refused one signs out. When the server cannot be reached the
   * token is kept and the shell tries again shortly (a restart of the server signs nobody out).
   */
  async restore(): Promise<void> {
    const token = localStorage.getItem(TOKEN_KEY);
    if (!token) {
      this.status = 'signed-out';
      return;
    }
    try {
      await this.begin(token);
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) {
        liveSocket.stop();
        this.status = 'unreachable';
        setTimeout(() => void this.restore(), RETRY_MS);
      } else this.end(error instanceof ApiError && error.code === 'tenant_suspended' ? SUSPENDED : null);
    }
  }

  async login(email: string, password: string, tenant?: string): Promise<void> {
    const session = await answer(client.POST('/api/auth/login', { body: { email, password, ...(tenant ? { tenant } : {}) } }));
    await this.begin(session.token);
  }

  async signup(values: { company: string; name: string; email: string; password: string }): Promise<void> {
    const session = await answer(client.POST('/api/auth/signup', { body: values }));
    await this.begin(session.token);
  }

  /** Signs out of this browser; `everywhere` also revokes every token of the user (other devices too). */
  async logout(everywhere = false): Promise<void> {
    if (everywhere) await answer(client.POST('/api/auth/logout')).catch(() => undefined);
    this.end(null);
  }

  /** Reloads what the user may see (modules changed, roles changed). */
  async refresh(): Promise<void> {
    const [me, meta] = await Promise.all([api<Me>('GET', '/me'), api<Meta>('GET', '/meta')]);
    this.me = me;
    this.meta = this.meta ? keepUnchangedViews(this.meta, meta) : meta;
  }

  private async begin(token: string): Promise<void> {
    this.token = token;
    configureApi({ token, onUnauthorized: (code) => this.end(code === 'tenant_suspended' ? SUSPENDED : ENDED) });
    // The socket opens first, so no change made while the views load their data is missed.
    liveSocket.start(token, (code) => this.end(code === 4403 ? SUSPENDED : ENDED));
    await this.refresh();
    this.keep(token);
    this.notice = null;
    this.status = 'ready';
  }

  /** Stores the token and swaps it for a fresh one halfway through its life, socket included. */
  private keep(token: string): void {
    localStorage.setItem(TOKEN_KEY, token);
    clearTimeout(this.renewal);
    const delay = Math.max((expiryOf(token) - Date.now()) / 2, 30_000);
    this.renewal = setTimeout(
      async () => {
        const fresh = await answer(client.POST('/api/auth/refresh')).catch(() => null);
        if (!fresh || this.token !== token) return;
        this.token = fresh.token;
        configureApi({ token: fresh.token });
        liveSocket.renew(fresh.token);
        this.keep(fresh.token);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
  }

  private end(notice: string | null): void {
    if (this.token === null && this.status === 'signed-out') return;
    this.token = null;
    clearTimeout(this.renewal);
    localStorage.removeItem(TOKEN_KEY);
    liveSocket.stop();
    configureApi({ token: null });
    this.me = null;
    this.meta = null;
    this.notice = notice;
    this.status = 'signed-out';
  }
}

/**
 * The new meta, with the views that did not change kept as the same objects: a page shows a view under
 * `{#key view}`, so only the views that changed are drawn anew (a form being edited elsewhere keeps its edits).
 */
function keepUnchangedViews(old: Meta, fresh: Meta): Meta {
  const views = Object.fromEntries(
    Object.entries(fresh.views).map(([id, view]) => [
      id,
      old.views[id] && JSON.stringify(old.views[id]) === JSON.stringify(view) ? old.views[id] : view,
    ]),
  );
  return { ...fresh, views };
}

/** Menus grouped under their module; modules, and menus within them, in the menus' sequence order. */
function sections(meta: Meta): MenuSection[] {
  const menus = [...meta.menus].sort((a, b) => a.sequence - b.sequence);
  return meta.modules
    .map((module) => ({ module: module.name, label: module.label, menus: menus.filter((m) => m.module === module.name) }))
    .filter((section) => section.menus.length > 0)
    .sort((a, b) => a.menus[0].sequence - b.menus[0].sequence);
}

export const session = new Session();
