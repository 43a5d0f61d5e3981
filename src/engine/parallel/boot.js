// Entry of a search worker thread. Node 20 does not carry the main thread's
// module hooks into a worker, so this registers them again, as
// bin/klpcheck.js does: tsx (TypeScript specs, plug-ins and the engine load
// without a build step), bin/plainNames.js (compiled without keepNames'
// run-time cost, as in the main thread) and bin/specImports.js (a spec or plug-in outside the
// repository imports 'klpcheck', 'klpcheck/plugin' and the engine's own
// 'immutable'). Then it installs the Record factory (src/engine/recordFactory.ts)
// and runs worker.ts. Plain JavaScript: it runs before tsx.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerHooks(new URL('../../../bin/plainNames.js', import.meta.url).href, import.meta.url);
registerHooks(new URL('../../../bin/specImports.js', import.meta.url).href, import.meta.url, {
  data: {
    engineUrl: new URL('../index.ts', import.meta.url).href,
    rootUrl: new URL('../../../', import.meta.url).href,
  },
});
// Before anything imports 'immutable': the faster Record factory, as in the main thread.
await import('../recordFactory.ts');
await import('./worker.ts');
