/**
 * The console's static files, all served by `serve` itself (no CDN: machines may be offline):
 * its stylesheet, diagram and chart scripts from `assets/console/`, Mermaid and Chart.js from their packages. Read
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
  // chart.js exports no package.json: its main entry sits beside the browser build in dist/.
  const chart = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
  return new Map<string, Asset>([
    ['console.css', { type: 'text/css; charset=utf-8', body: readFileSync(path.join(OWN, 'console.css')) }],
    ['diagram.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(path.join(OWN, 'diagram.js')) }],
    ['mermaid.min.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(mermaid) }],
    ['charts.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(path.join(OWN, 'charts.js')) }],
    ['chart.umd.min.js', { type: 'text/javascript; charset=utf-8', body: readFileSync(chart) }],
  ]);
}
