import type { FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';

/** Is the signed-in user an administrator of their tenant? */
export const isAdmin = (request: FastifyRequest): boolean => request.session.roles.some((r) => r.name === 'admin');

/** onRequest hook of /api/admin/*: tenant admins only (after authentication). */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!isAdmin(request)) throw AtriumError.forbidden('Only administrators of your company may do this');
}
