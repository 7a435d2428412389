#!/usr/bin/env node
// Renders `apachescan --help` once at build time into dist/help.txt, so that the bin shim can
// print it without loading yargs (start-up under 150 ms). Run after tsc (npm run build / prepare).
import { writeFileSync } from 'node:fs';
import { renderHelp } from '../dist/src/cli/createCli.js';

writeFileSync(new URL('../dist/help.txt', import.meta.url), `${await renderHelp(80)}\n`);
