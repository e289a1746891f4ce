/** What `npm run format` formats and the formatting test checks: the TypeScript of the tree. */
export const FORMATTED = ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'workers/**/*.ts', 'vitest.config.ts'];
