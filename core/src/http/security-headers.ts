import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Hashes of the inline scripts SvelteKit writes into index.html, so the CSP can allow exactly those. */
function inlineScriptHashes(uiDir: string | undefined): string[] {
  const index = uiDir && join(uiDir, 'index.html');
  if (!index || !existsSync(index)) return [];
  const html = readFileSync(index, 'utf8');
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => `'sha256-${createHash('sha256').update(m[1]).digest('base64')}'`);
}

/**
 * Security headers on every response (@fastify/helmet): a strict Content-Security-Policy (scripts from
 * this origin plus the shell's own inline bootstrap, by hash), no framing, no MIME sniffing, no referrer
 * leaks. No CORS headers are ever sent: the shell is same-origin.
 */
async function securityHeaders(app: FastifyInstance, options: { uiDir: string | undefined }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: true,
      directives: {
        'script-src': ["'self'", ...inlineScriptHashes(options.uiDir)],
        'style-src': ["'self'", "'unsafe-inline'"],
        'connect-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
}

export default fp(securityHeaders, { name: 'atrium-security-headers' });
