#!/usr/bin/env node
// The `paperboy` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { main } from '../dist/delivery/cli/main.js';

// A reader that stops early (`paperboy config | head`) closes the pipe: the output is no longer
// wanted, which is not an error, so end quietly instead of crashing with EPIPE.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv);
