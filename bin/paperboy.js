#!/usr/bin/env node
// The `paperboy` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from '../dist/delivery/cli/main.js';

process.exitCode = await main(process.argv);
