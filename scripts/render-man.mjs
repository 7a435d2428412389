#!/usr/bin/env node
// Writes the man page dist/apachescan.1 from the yargs option definitions (see src/cli/manPage.ts).
// Run after tsc (npm run build). Read it with: man -l dist/apachescan.1
import { readFileSync, writeFileSync } from 'node:fs';
import { createCli } from '../dist/src/cli/createCli.js';
import { renderManPage } from '../dist/src/cli/manPage.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
writeFileSync(new URL('../dist/apachescan.1', import.meta.url), await renderManPage(createCli([]), version));
