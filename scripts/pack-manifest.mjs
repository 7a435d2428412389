#!/usr/bin/env node
// `npm pack`/`npm publish` around the tarball: `strip` (prepack) takes the development-only
// `prepare` script out of package.json, keeping the original beside it; `restore` (postpack)
// puts it back. Consumers of the tarball then see no install-time script (npm 11 warns about
// any, even one it never runs for a registry install). Usage: node scripts/pack-manifest.mjs strip|restore
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const MANIFEST = 'package.json';
const KEPT = '.package.json.packing';
const [what] = process.argv.slice(2);
if (what === 'strip') {
  const text = readFileSync(MANIFEST, 'utf8');
  const manifest = JSON.parse(text);
  if (manifest.scripts?.prepare !== undefined) {
    writeFileSync(KEPT, text);
    delete manifest.scripts.prepare;
    writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  }
} else if (what === 'restore') {
  if (existsSync(KEPT)) renameSync(KEPT, MANIFEST);
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
