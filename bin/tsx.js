// `node --import ./bin/tsx.js`: registers tsx and, after it (so it runs
// first), the load hook that drops keepNames' run-time cost (bin/plainNames.js).
// Used by `npm test` and `npm run bench`; bin/klpcheck.js does the same itself.
// It also installs the faster Record factory, which must come first.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerHooks('./plainNames.js', import.meta.url);
// Before anything imports 'immutable': the faster Record factory for specs (src/engine/recordFactory.ts).
await import('../src/engine/recordFactory.ts');
