/**
 * One JSON shape for every error the API answers with:
 * `{"error": {"status": 400, "code": "invalid_body", "message": "...", "field": "renewal_date"}}`.
 * `toApiError` maps whatever a handler threw to it: request validation (the failing field
 * from the zod issue path), `UserError`s by their kind, a busy account (429 with Retry-After), Fastify's body errors, an unreachable
 * Temporal. Anything else is a 500 that says nothing about its cause but the request id
 * under which it was logged.
 */
import { isGrpcServiceError } from '@temporalio/client';
import { UserError, type UserErrorKind } from '../errors.js';
import { AccountBusyError } from '../temporal/account-client.js';
import type { ApiErrorBody, ErrorIssue } from './schemas/errors.js';

type ErrorDetails = Omit<ApiErrorBody['error'], 'status' | 'code' | 'message' | 'requestId'>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    /** Response headers that go with it, e.g. `retry-after`. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  body(requestId: string): ApiErrorBody {
    return { error: { status: this.status, code: this.code, message: this.message, ...this.details, requestId } };
  }
}

const USER_ERROR_STATUS: Record<UserErrorKind, [number, string]> = {
  usage: [400, 'invalid_request'],
  invalid: [400, 'invalid_request'],
  notFound: [404, 'not_found'],
  conflict: [409, 'conflict'],
};

/** Fastify's own client errors, by code; a message replaces Fastify's where it helps more. */
const FASTIFY_ERRORS: Record<string, [number, string, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'body_too_large', 'the body is larger than this server accepts (api.maxBodyBytes)'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'send the body as JSON, with Content-Type: application/json'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_json', 'the body is empty but Content-Type says JSON'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_json', 'the body is not valid JSON'],
};

interface ValidationIssue {
  instancePath: string;
  message?: string;
}

interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  validation?: ValidationIssue[];
  validationContext?: string;
  message: string;
}

/** The API error for `error`, or null when it is unexpected (a 500). */
export function toApiError(error: unknown): ApiError | null {
  if (error instanceof ApiError) return error;
  if (error instanceof UserError) {
    const [status, code] = USER_ERROR_STATUS[error.kind];
    return new ApiError(status, code, error.message);
  }
  if (error instanceof AccountBusyError) {
    return new ApiError(429, 'account_busy', error.message, {}, { 'retry-after': String(error.retryAfterSeconds) });
  }
  if (temporalUnavailable(error)) return new ApiError(503, 'temporal_unavailable', 'the Temporal server cannot be reached; try again shortly');
  const e = error as FastifyLikeError;
  if (Array.isArray(e.validation) && e.validation.length > 0) return validationError(e.validation, e.validationContext ?? 'body');
  const known = e.code === undefined ? undefined : FASTIFY_ERRORS[e.code];
  if (known !== undefined) return new ApiError(known[0], known[1], known[2] ?? e.message);
  // Other client errors Fastify raises (a malformed URL, a bad header) carry safe messages.
  if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500) return new ApiError(e.statusCode, 'bad_request', e.message);
  return null;
}

const CONTEXT_NOUN: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/** `invalid_body` (or `invalid_query` …) naming the first failing field and listing every issue. */
export function validationError(validation: ValidationIssue[], context: string): ApiError {
  const noun = CONTEXT_NOUN[context] ?? context;
  const issues: ErrorIssue[] = validation.map((v) => {
    const segments = v.instancePath.split('/').filter((s) => s !== '');
    const index = segments.find((s) => /^\d+$/.test(s));
    const field = segments.join('.');
    return {
      ...(index !== undefined && { index: Number(index) }),
      field: field === '' ? null : field,
      message: `${field === '' ? `the ${noun}` : field}: ${v.message ?? 'invalid'}`,
    };
  });
  const first = issues[0]!;
  return new ApiError(400, `invalid_${noun}`, first.message, {
    ...(first.field !== null && { field: first.field }),
    issues,
  });
}

// gRPC UNAVAILABLE; DEADLINE_EXCEEDED when a connection attempt timed out.
const UNAVAILABLE_CODES = new Set([14, 4]);

function temporalUnavailable(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | null)?.cause;
  const grpc = isGrpcServiceError(error) ? error : isGrpcServiceError(cause) ? cause : undefined;
  return grpc !== undefined && UNAVAILABLE_CODES.has(grpc.code);
}
