import type { FastifyRequest } from 'fastify';
import { AtriumError, type FieldProblem } from '../kernel/errors.ts';
import type { RecordService } from '../engine/records/record-service.ts';
import { requestRecords } from './request-records.ts';

const CUSTOM_SEGMENT = /(^|\.)x_[a-z0-9_]+(\.|$)/;

/** A 400 naming a custom field (`x_…`): maybe one this node has not heard of yet. */
const namesCustomField = (error: unknown): boolean =>
  error instanceof AtriumError &&
  error.statusCode === 400 &&
  Array.isArray(error.details) &&
  (error.details as FieldProblem[]).some((p) => CUSTOM_SEGMENT.test(String(p.field)));

/**
 * Runs a record operation; when it is refused for naming a custom field, reads the tenant afresh and,
 * if its custom fields changed, runs it once more. A field created on another node a moment ago is
 * then usable here before that node's notification arrives (docs/decisions.md, "Custom fields"). A
 * refusal is all that is retried: every write runs in one transaction, so nothing of the first attempt
 * stayed.
 */
export async function withFreshCustomFields<T>(request: FastifyRequest, work: (records: RecordService) => Promise<T>): Promise<T> {
  try {
    return await work(requestRecords(request));
  } catch (error) {
    if (!namesCustomField(error)) throw error;
    const { sessions } = request.server.platform;
    const before = request.session;
    sessions.invalidate({ kind: 'tenant', tenantId: before.tenant.id });
    await request.server.authenticate(request);
    if (request.session.schema.key === before.schema.key) throw error;
    return work(requestRecords(request));
  }
}
