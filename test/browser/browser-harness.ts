/// <reference lib="dom" />
// (Some callbacks in this file run in the page: page.evaluate, addInitScript.)
/**
 * What the browser tests share: the shell built (only when its sources changed), a real Atrium on
 * PGlite listening on a free port and serving that build, and Debian's chromium driven by playwright-core.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page, type WebSocketRoute } from 'playwright-core';
import { startTestApp, type SignedIn, type TestApp } from '@atrium/core/testing';
import type { PlansInput, PlatformConfigInput } from '@atrium/core/platform';
import { ensureShellBuilt, SHELL_BUILD } from '../../scripts/shell-build.ts';
import { chromiumPath } from '../support/chromium-path.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_MODULES = join(ROOT, 'core/test/fixtures/modules');
export const RESULTS = join(ROOT, 'test-results');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium (or ATRIUM_CHROMIUM), headless, without the background traffic a closed network refuses. */
export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error('no chromium: install it (Debian: apt install chromium) or set ATRIUM_CHROMIUM');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

export interface OpenOptions {
  viewport?: { width: number; height: number };
  /** Runs before the first page loads (to route its websocket, say). */
  prepare?: (context: BrowserContext) => Promise<void>;
}

export interface BrowserApp {
  url: string;
  /** Waits until the page's socket has said hello (changes from now on reach it). */
  waitLive(page: Page): Promise<void>;
  testApp: TestApp;
  browser: Browser;
  /** A new browser context (its own storage: one user), signed in as `user` when given, at `path`. */
  open(user: SignedIn | null, path?: string, options?: OpenOptions): Promise<{ context: BrowserContext; page: Page }>;
  /** Saves a screenshot under test-results/. */
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

/** A real Atrium (these modules) serving the built shell on a free port, and a browser to use it. */
export async function startBrowserApp(
  options: {
    modules?: string[];
    modulesDir?: string;
    plans?: PlansInput;
    operator?: { email: string; password: string };
    billing?: PlatformConfigInput['billing'];
  } = {},
): Promise<BrowserApp> {
  await ensureShellBuilt();
  const [testApp, browser] = await Promise.all([
    startTestApp({
      modules: options.modules ?? ['dir', 'sales'],
      modulesDir: options.modulesDir ?? FIXTURE_MODULES,
      uiDir: SHELL_BUILD,
      plans: options.plans,
      operator: options.operator,
      billing: options.billing,
    }),
    launchChromium(),
  ]);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const address = testApp.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  mkdirSync(RESULTS, { recursive: true });
  return {
    url,
    async waitLive(page) {
      await page.locator('[data-testid="live-status"][data-status="live"]').waitFor();
    },
    testApp,
    browser,
    async open(user, path = '/', { viewport = { width: 1360, height: 860 }, prepare } = {}) {
      const context = await browser.newContext({ viewport, baseURL: url });
      await prepare?.(context);
      // Signed in as the shell would be after a login; once per tab, so that signing out stays signed out.
      if (user) {
        await context.addInitScript((token) => {
          if (sessionStorage.getItem('atrium.test-seeded')) return;
          localStorage.setItem('atrium.token', token);
          sessionStorage.setItem('atrium.test-seeded', '1');
        }, user.token);
      }
      const page = await context.newPage();
      await page.goto(path);
      return { context, page };
    },
    async screenshot(page, name) {
      await page.screenshot({ path: join(RESULTS, `${name}.png`) });
    },
    async close() {
      await browser.close();
      await testApp.close();
    },
  };
}

/** A page's websocket through a relay the test controls: server messages held back, or the connection cut. */
export interface SocketRelay {
  /** Server messages wait in the relay from now on (until the connection is cut). */
  hold(): void;
  /** Cuts the connection (both sides), losing what was held; the page reconnects by itself. */
  cut(): Promise<void>;
  /** Sends the page a frame as if the server had (say, a stale event). */
  inject(frame: Record<string, unknown>): void;
  /** The URL of each connection the page opened (a reconnection carries `after=`). */
  readonly urls: string[];
  /** Messages the page has sent to the server, and frames the server has sent to the page. */
  readonly sent: Record<string, unknown>[];
  readonly received: Record<string, unknown>[];
  readonly connections: number;
}

export async function relaySocket(context: BrowserContext): Promise<SocketRelay> {
  let holding = false;
  let current: { page: WebSocketRoute; server: WebSocketRoute } | undefined;
  const urls: string[] = [];
  const sent: Record<string, unknown>[] = [];
  const received: Record<string, unknown>[] = [];
  await context.routeWebSocket(/\/api\/ws/, (page) => {
    urls.push(page.url());
    holding = false;
    const server = page.connectToServer();
    current = { page, server };
    server.onMessage((message) => {
      received.push(JSON.parse(String(message)));
      if (!holding) page.send(message);
    });
    page.onMessage((message) => {
      sent.push(JSON.parse(String(message)));
      server.send(message);
    });
  });
  return {
    hold: () => (holding = true),
    async cut() {
      await current?.server.close();
      await current?.page.close({ code: 4000, reason: 'cut by the test' });
    },
    inject: (frame) => current?.page.send(JSON.stringify(frame)),
    urls,
    sent,
    received,
    get connections() {
      return urls.length;
    },
  };
}
