#!/usr/bin/env node
// Entry point: sizes the young generation for the search, registers tsx (so
// klpcheck and user specs written in TypeScript load without a build step),
// then runs the command line.
import v8 from 'node:v8';
import { register } from 'tsx/esm/api';

// See src/cli/tuneHeap.ts for why; repeated here because it must come first.
v8.setFlagsFromString('--max-semi-space-size=64');
register();
const { runFromProcess } = await import('../src/cli/main.ts');
await runFromProcess();
