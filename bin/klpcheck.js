#!/usr/bin/env node
// Entry point: registers tsx (so klpcheck and user specs written in TypeScript
// load without a build step), then runs the command line.
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src/cli/main.ts');
await runFromProcess();
