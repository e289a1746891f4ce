/**
 * JSON bodies are read as bytes first: an integration's signature covers the exact bytes
 * it sent, which re-serialising the parsed body would not reproduce. Parsing is Fastify's
 * own (with its prototype-poisoning protection), after the nesting check (a body deeper than
 * `MAX_JSON_DEPTH` is a 400). JSON is the only body type: anything else is a 415.
 */
import type { FastifyInstance } from 'fastify';
import { jsonDepthProblem } from '../util/json-depth.js';
import { ApiError } from './errors.js';

export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    const text = bytes.toString('utf8');
    const tooDeep = jsonDepthProblem(text);
    if (tooDeep !== null) return done(new ApiError(400, 'invalid_json', `the body ${tooDeep}`), undefined);
    parse(request, text, done);
  });
}
