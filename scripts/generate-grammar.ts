/** `npm run grammar`: regenerates the checked-in artifacts under grammar/ from the parser. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grammarArtifacts } from '../src/language/grammar-artifacts.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
for (const artifact of grammarArtifacts()) {
  const path = join(root, artifact.path);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, artifact.content);
  console.log(`wrote ${artifact.path}`);
}
