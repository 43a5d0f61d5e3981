#!/usr/bin/env node
// Entry point: sizes the young generation for the search, registers tsx (so
// klpcheck and user specs written in TypeScript load without a build step) and
// the resolution hooks that let a spec outside the repository import
// 'klpcheck' and the engine's own 'immutable' (bin/specImports.js) and the
// load hook that compiles TypeScript without keepNames' run-time cost
// (bin/plainNames.js), then runs the command line.
import { register as registerHooks } from 'node:module';
import v8 from 'node:v8';
import { register } from 'tsx/esm/api';

// See src/cli/tuneHeap.ts for why; repeated here because it must come first.
v8.setFlagsFromString('--max-semi-space-size=64');
register();
registerHooks('./plainNames.js', import.meta.url);
registerHooks('./specImports.js', import.meta.url, {
  data: {
    engineUrl: new URL('../src/engine/index.ts', import.meta.url).href,
    rootUrl: new URL('../', import.meta.url).href,
  },
});
const { runFromProcess } = await import('../src/cli/main.ts');
await runFromProcess();
