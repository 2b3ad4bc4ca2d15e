import type { FastifyInstance } from 'fastify';
import { requireAdmin } from './require-admin.ts';
import usersRoutes from './users-routes.ts';
import rolesRoutes from './roles-routes.ts';
import modulesRoutes from './modules-routes.ts';
import settingsRoutes from './settings-routes.ts';
import usageRoutes from './usage-routes.ts';
import mailsRoutes from './mails-routes.ts';
import viewsRoutes from './views-routes.ts';
import customFieldsRoutes from './custom-fields-routes.ts';
import automationsRoutes from './automations-routes.ts';
import billingRoutes from './billing-routes.ts';
import planRoutes from './plan-routes.ts';

/** /api/admin/*: tenant administration, for the tenant's admins only. */
export default async function adminRoutes(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', requireAdmin);
  await app.register(usersRoutes);
  await app.register(rolesRoutes);
  await app.register(modulesRoutes);
  await app.register(settingsRoutes);
  await app.register(usageRoutes);
  await app.register(mailsRoutes);
  await app.register(viewsRoutes);
  await app.register(customFieldsRoutes);
  await app.register(automationsRoutes);
  await app.register(billingRoutes);
  await app.register(planRoutes);
}
