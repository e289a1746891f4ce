import * as z from 'zod';

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  temporal: z.enum(['up', 'down']),
});
