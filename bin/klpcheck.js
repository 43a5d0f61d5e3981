#!/usr/bin/env -S node --max-semi-space-size=64
// Entry point: sizes the young generation for the search, registers tsx (so
// klpcheck and user specs written in TypeScript load without a build step) and
// the resolution hooks that let a spec outside the repository import
// 'klpcheck' and the engine's own 'immutable' (bin/specImports.js) and the
// load hook that compiles TypeScript without keepNames' run-time cost
// (bin/plainNames.js), then runs the command line.
import { register as registerHooks } from 'node:module';
import v8 from 'node:v8';
import { register } from 'tsx/esm/api';

// A BFS allocates millions of short-lived successor states: a 64 MiB young
// generation roughly halves the scavenges (docs/performance.md). The flag only
// fully applies on the command line (the shebang above and the package.json
// scripts pass it); set at run time, as here for `node bin/klpcheck.js`, V8
// applies it in part.
v8.setFlagsFromString('--max-semi-space-size=64');
register();
registerHooks('./plainNames.js', import.meta.url);
registerHooks('./specImports.js', import.meta.url, {
  data: {
    engineUrl: new URL('../src/engine/index.ts', import.meta.url).href,
    rootUrl: new URL('../', import.meta.url).href,
  },
});
// Before anything imports 'immutable': the faster Record factory for specs (src/engine/recordFactory.ts).
await import('../src/engine/recordFactory.ts');
const { runFromProcess } = await import('../src/cli/main.ts');
await runFromProcess();
