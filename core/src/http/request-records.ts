import type { FastifyRequest } from 'fastify';
import { recordScope } from '../engine/platform.ts';
import { RecordService } from '../engine/records/record-service.ts';

/** The record service as the request's user, in their tenant: what record and admin routes write through. */
export const requestRecords = (request: FastifyRequest): RecordService =>
  new RecordService(recordScope(request.server.platform, request.session, request.id));
