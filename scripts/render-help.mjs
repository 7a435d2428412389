#!/usr/bin/env node
// Renders `apachescan --help` once at build time into dist/help.txt, so that the bin shim can
// print it without loading yargs (start-up under 150 ms). Run after tsc (npm run build / prepare).
import { renameSync, writeFileSync } from 'node:fs';
import { renderHelp } from '../dist/src/cli/createCli.js';

// Written aside and renamed: a `--help` during the build reads the old text or the new one.
const target = new URL('../dist/help.txt', import.meta.url);
const temporary = new URL(`../dist/help.txt.${process.pid}`, import.meta.url);
writeFileSync(temporary, `${await renderHelp(80)}\n`);
renameSync(temporary, target);
