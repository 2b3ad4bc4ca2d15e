import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** Hashes of the inline scripts SvelteKit writes into index.html, so the CSP can allow exactly those. */
function inlineScriptHashes(uiDir: string | undefined): string[] {
  const index = uiDir && join(uiDir, 'index.html');
  if (!index || !existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    (m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`,
  );
}

/**
 * The security headers: a strict Content-Security-Policy (scripts from this origin plus the shell's own
 * inline bootstrap, by hash), no framing, no MIME sniffing, no referrer leaks. No CORS headers are ever
 * sent: the shell is same-origin.
 */
function helmetOptions(uiDir: string | undefined) {
  return {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'", ...inlineScriptHashes(uiDir)],
        'style-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
      },
    },
    crossOriginEmbedderPolicy: false,
  } satisfies HelmetOptions;
}

/**
 * The same headers set straight on a raw response, for the answers the router gives before any hook
 * runs (a malformed URL): helmet's middleware is synchronous.
 */
export function rawSecurityHeaders(uiDir: string | undefined): (request: IncomingMessage, response: ServerResponse) => void {
  const middleware = helmet(helmetOptions(uiDir));
  return (request, response) => middleware(request, response, () => undefined);
}

/**
 * The same headers on every response that goes through fastify's hooks, from one middleware built at
 * start-up (@fastify/helmet built helmet's middleware anew, directives parsed, for every request).
 */
async function securityHeaders(app: FastifyInstance, options: { uiDir: string | undefined }): Promise<void> {
  const setHeaders = rawSecurityHeaders(options.uiDir);
  app.addHook('onRequest', async (request, reply) => setHeaders(request.raw, reply.raw));
}

export default fp(securityHeaders, { name: 'atrium-security-headers' });
