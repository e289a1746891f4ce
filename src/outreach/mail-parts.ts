/** Small readers shared by the inbound shapes, replies and bounces. */
import type * as z from 'zod';

/** `<id>` as sent emails keep it, whether or not a provider kept the angle brackets. */
export function normalMessageId(id: string): string {
  const bare = id.trim().replace(/^<|>$/g, '');
  return `<${bare}>`;
}

/** The first problem zod found in a posted body, as `path: message`. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`;
}
