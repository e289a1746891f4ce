/**
 * JSON bodies are read as bytes first: an integration's signature covers the exact bytes
 * it sent, which re-serialising the parsed body would not reproduce. Parsing is Fastify's
 * own (with its prototype-poisoning protection). JSON is the only body type: anything else
 * is a 415.
 */
import type { FastifyInstance } from 'fastify';

export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const bytes = body as Buffer;
    request.rawBody = bytes;
    parse(request, bytes.toString('utf8'), done);
  });
}
