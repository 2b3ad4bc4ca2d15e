import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { AtriumError } from '../kernel/errors.ts';
import { inexactNumbers } from '../kernel/json-numbers.ts';

/**
 * JSON bodies as fastify parses them (prototype poisoning refused), plus one rule: a number a double
 * cannot hold as written (9007199254740993, 1e400, 0.1000000000000000001) is a 400 naming its field,
 * never a silently rounded value (kernel/json-numbers.ts).
 */
async function jsonBody(app: FastifyInstance): Promise<void> {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    parse(request, body as string, (error, value) => {
      if (error) return done(error, undefined);
      const problems = inexactNumbers(body as string);
      if (problems.length > 0) return done(AtriumError.validation(problems), undefined);
      done(null, value);
    });
  });
}

export default fp(jsonBody, { name: 'atrium-json-body' });
