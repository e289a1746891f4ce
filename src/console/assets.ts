/**
 * The console's static files, all served by `serve` itself (no CDN: machines may be offline):
 * its stylesheet and diagram script from `assets/console/`, Mermaid from its package. Read
 * once, at start.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Asset {
  type: string;
  body: Buffer;
}

const OWN = fileURLToPath(new URL('../../assets/console/', import.meta.url));

export function loadAssets(): Map<string, Asset> {
  const require = createRequire(import.meta.url);
  const mermaid = path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');
  return new Map<string, Asset>([
    ['console.css', { type: 'text/css; charset=utf-8', body: readFileSync(path.join(OWN, 'console.css')) }],
    ['diagram.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(path.join(OWN, 'diagram.js')) }],
    ['mermaid.min.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(mermaid) }],
  ]);
}
