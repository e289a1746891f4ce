/** The error body every route may answer with, and the error responses routes declare. */
import * as z from 'zod';
import { ROLES } from '../roles.js';

export const errorIssueSchema = z
  .object({
    /** The item of a list the problem is in (bulk requests). */
    index: z.number().int().optional(),
    /** Dotted path of the failing field, or null for the whole value. */
    field: z.string().nullable(),
    message: z.string(),
  })
  .meta({ id: 'ErrorIssue' });

export const diagnosticSchema = z
  .object({
    file: z.string(),
    line: z.number().int(),
    col: z.number().int(),
    endLine: z.number().int(),
    endCol: z.number().int(),
    severity: z.enum(['error', 'warning']),
    code: z.string(),
    message: z.string(),
    hint: z.string().nullable(),
    related: z.array(z.object({ message: z.string(), file: z.string(), line: z.number().int(), col: z.number().int() })),
  })
  .meta({ id: 'Diagnostic' });

export const apiErrorBodySchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      /** Stable, e.g. `invalid_body`, `unauthorized`, `forbidden`, `not_found`, `already_open`. */
      code: z.string(),
      message: z.string(),
      field: z.string().optional(),
      issues: z.array(errorIssueSchema).optional(),
      /** 403: the roles that may do this. */
      requiredRoles: z.array(z.enum(ROLES)).optional(),
      /** 409: the run that is already open. */
      workflowId: z.string().optional(),
      /** 400 from a deployment whose workspace does not check clean. */
      diagnostics: z.array(diagnosticSchema).optional(),
      /** Quote it when reporting a problem: the server's log has the details under it. */
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error', description: 'An error' });

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

/** Statuses any authenticated route may answer with. */
const COMMON = [400, 401, 403, 413, 415, 500, 503] as const;

/** The `response` entries for the common error statuses plus `extra` ones. */
export function errorResponses<const S extends number>(...extra: S[]): Record<(typeof COMMON)[number] | S, typeof apiErrorBodySchema> {
  return Object.fromEntries([...COMMON, ...extra].map((status) => [status, apiErrorBodySchema])) as Record<
    (typeof COMMON)[number] | S,
    typeof apiErrorBodySchema
  >;
}
