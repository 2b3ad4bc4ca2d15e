import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AtriumError, type ErrorKey } from '../kernel/errors.ts';
import { translateDatabaseError } from '../store/db-errors.ts';
import { schemaErrorMessage } from '../kernel/schema-messages.ts';

/** fastify's own errors, by code, as Atrium errors. */
const FASTIFY_ERRORS: Record<string, ErrorKey> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ATR_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ATR_ERR_VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'ATR_ERR_PAYLOAD_TOO_LARGE',
  // @fastify/multipart (imports): a file over the route's limit; a form sent where none was expected.
  FST_REQ_FILE_TOO_LARGE: 'ATR_ERR_PAYLOAD_TOO_LARGE',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'ATR_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ATR_ERR_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ATR_ERR_INVALID_JSON',
  FST_ERR_BAD_URL: 'ATR_ERR_NOT_FOUND',
  // A path segment over the router's maxParamLength: no model or id is that long.
  FST_ERR_MAX_PARAM_LENGTH: 'ATR_ERR_NOT_FOUND',
  FST_ERR_ASYNC_CONSTRAINT: 'ATR_ERR_VALIDATION',
};

/** What a too large body is told: the limit of the route it was sent to (1 MB, or an import's 20 MB). */
function tooLarge(request: FastifyRequest): AtriumError {
  const limit = request.routeOptions.bodyLimit ?? 1024 * 1024;
  return new AtriumError('ATR_ERR_PAYLOAD_TOO_LARGE', `The body is larger than ${Math.round(limit / (1024 * 1024))} MB`);
}

function toAtriumError(error: FastifyError, request: FastifyRequest): AtriumError | undefined {
  if (error instanceof AtriumError) return error;
  const translated = translateDatabaseError(error);
  if (translated instanceof AtriumError) return translated;
  const key = FASTIFY_ERRORS[error.code];
  if (key === 'ATR_ERR_PAYLOAD_TOO_LARGE') return tooLarge(request);
  if (key) return new AtriumError(key);
  if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message)))
    return new AtriumError('ATR_ERR_INVALID_JSON');
  if (error.validation) {
    return AtriumError.validation(
      error.validation.map((v) => ({
        field:
          v.instancePath.slice(1).replaceAll('/', '.') ||
          String(
            (v.params as Record<string, unknown>).missingProperty ??
              (v.params as Record<string, unknown>).additionalProperty ??
              error.validationContext ??
              'body',
          ),
        rule: v.keyword,
        message: schemaErrorMessage(v),
      })),
    );
  }
  if (error.statusCode === 429) return new AtriumError('ATR_ERR_RATE_LIMITED');
  if (error.code?.startsWith('FST_JWT') || error.code?.startsWith('FAST_JWT')) return AtriumError.unauthorized();
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
    return new AtriumError(
      error.statusCode === 404 ? 'ATR_ERR_NOT_FOUND' : 'ATR_ERR_VALIDATION',
      error.statusCode === 404 ? undefined : 'The request is not valid',
    );
  return undefined;
}

/**
 * Every error leaves as {"error": {code, message, details}}: Atrium's own, fastify's (bad JSON, size,
 * media type), the database's (through the one translation), and — as a bare 500 that is logged with
 * its stack but never shown — anything else.
 */
export function sendError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toAtriumError(error, request);
  if (!known) {
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send(new AtriumError('ATR_ERR_INTERNAL').toBody());
  }
  if (known.statusCode === 503) request.log.warn({ err: error }, 'database unavailable');
  return reply.code(known.statusCode).send(known.toBody());
}

async function errorHandling(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(sendError);
}

export default fp(errorHandling, { name: 'atrium-errors' });
