import type { FastifyRequest } from 'fastify';
import { AtriumError } from '../../kernel/errors.ts';

/** onRequest hook of /api/admin/*: tenant admins only (after authentication). */
export async function requireAdmin(request: FastifyRequest): Promise<void> {
  if (!request.session.roles.some((r) => r.name === 'admin')) throw AtriumError.forbidden('Only administrators of your company may do this');
}
