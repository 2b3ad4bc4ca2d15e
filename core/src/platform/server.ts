import Fastify, { type FastifyInstance } from 'fastify';
import type { PlatformConfig } from '../kernel/config.ts';
import { requestForLog } from '../http/request-log.ts';
import { requestIdOf } from '../http/request-id.ts';
import { loadModules } from '../kernel/manifest/load-modules.ts';
import { Registry } from '../kernel/registry/registry.ts';
import errorHandling, { sendError } from '../http/error-handler.ts';
import { AtriumError } from '../kernel/errors.ts';
import { openPlatform } from './services.ts';
import '../http/app-platform.ts';
import authPlugin from '../http/auth/auth-plugin.ts';
import authRoutes from '../http/auth/auth-routes.ts';
import eventsPlugin from '../http/socket/socket-plugin.ts';
import transferRoutes from '../http/transfer-routes.ts';
import recordRoutes from '../http/record-routes.ts';
import chatterRoutes from '../http/chatter-routes.ts';
import savedFiltersRoutes from '../http/saved-filters-routes.ts';
import viewSettingsRoutes from '../http/view-settings-routes.ts';
import notificationRoutes from '../http/notification-routes.ts';
import metaRoutes from '../http/meta-routes.ts';
import adminRoutes from '../http/admin/admin-routes.ts';
import operatorRoutes from '../http/operator/operator-routes.ts';
import webhookRoute from '../http/billing/webhook-route.ts';
import healthRoutes from '../http/health-routes.ts';
import uiPlugin from '../http/ui-plugin.ts';
import docsPlugin from '../http/docs-plugin.ts';
import { prettyLogStream } from './pretty-log.ts';
import metricsPlugin from '../http/metrics/metrics-plugin.ts';
import securityHeaders, { rawSecurityHeaders } from '../http/security-headers.ts';
import jsonBody from '../http/json-body.ts';
import { planRate } from '../http/plan-rate.ts';
import { clientErrorHandler } from '../http/client-errors.ts';

/**
 * The composition root: modules are loaded and checked first (a bad manifest stops here), then the
 * database and the shared services are opened (platform/services.ts), then every HTTP concern is
 * registered as its own plugin. Nothing else wires the layers together.
 */
export async function buildApp(config: PlatformConfig): Promise<FastifyInstance> {
  const registry = new Registry(await loadModules(config.modules, config.modulesDir));
  const routerErrorHeaders = rawSecurityHeaders(config.uiDir);
  const app = Fastify({
    logger: {
      level: config.logLevel,
      serializers: { req: requestForLog },
      redact: ['*.password', '*.token'],
      ...(config.logFormat === 'pretty' ? { stream: prettyLogStream() } : {}),
    },
    genReqId: requestIdOf,
    // Behind a proxy, request.ip (rate limits, logs) is the client's address from X-Forwarded-For.
    // (A number of hops is what fastify does at run time, but its types lack it.)
    trustProxy:
      typeof config.trustProxy === 'number' ? (_address: string, hop: number) => hop < (config.trustProxy as number) : config.trustProxy,
    bodyLimit: 1024 * 1024,
    // Start-up opens the database and runs migrations: on a slow machine that takes more than fastify's 10 s.
    pluginTimeout: 300_000,
    // While closing, the hook below answers instead of fastify's own 503 (another shape, no security headers).
    return503OnClosing: false,
    // Errors the router answers before any hook, route or error handler (a bad URL, a path segment over
    // 100 characters) would otherwise leave in fastify's own shape, without the security headers.
    frameworkErrors: (error, request, reply) => {
      routerErrorHeaders(request.raw, reply.raw);
      return sendError(error, request, reply);
    },
    // What Node's HTTP parser refuses (431, a malformed request line) never reaches fastify: same shape, same headers.
    clientErrorHandler: clientErrorHandler(routerErrorHeaders),
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  // Only JSON bodies are accepted: anything else is a 415 rather than a string the routes would misread.
  app.removeContentTypeParser('text/plain');
  await app.register(jsonBody);
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  await app.register(errorHandling);
  await app.register(securityHeaders, { uiDir: config.uiDir });
  const { platform, close } = await openPlatform(config, registry, app.log);
  app.decorate('platform', platform);
  app.decorate('lifecycle', { draining: false, stopping: false });
  // Requests that reach a stopping node (on a connection kept alive) are refused in the API's shape. Every
  // answer of a stopping node closes its connection: the client's next request goes to another node, and
  // the server, which waits for its connections, can end.
  app.addHook('onRequest', async () => {
    if (app.lifecycle.stopping) throw new AtriumError('ATR_ERR_UNAVAILABLE', 'This server is shutting down, try again shortly');
  });
  app.addHook('onSend', async (_request, reply) => {
    if (app.lifecycle.stopping) reply.header('connection', 'close');
  });
  app.addHook('onClose', close);
  await app.register(authPlugin);
  await app.register(eventsPlugin);
  await app.register(metricsPlugin);
  await app.register(docsPlugin);
  await app.register(
    async (api) => {
      await api.register(healthRoutes);
      await api.register(authRoutes);
      await api.register(operatorRoutes);
      await api.register(webhookRoute);
      await api.register(async (secured) => {
        secured.addHook('onRequest', secured.authenticate);
        secured.addHook('onRequest', planRate());
        await secured.register(recordRoutes);
        await secured.register(transferRoutes);
        await secured.register(chatterRoutes);
        await secured.register(metaRoutes);
        await secured.register(savedFiltersRoutes);
        await secured.register(viewSettingsRoutes);
        await secured.register(notificationRoutes);
        await secured.register(adminRoutes);
      });
    },
    { prefix: '/api' },
  );
  await app.register(uiPlugin, { dir: config.uiDir });
  return app;
}
