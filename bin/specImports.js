// Module resolution hooks for spec files (registered by bin/klpcheck.js with
// node:module's register, after tsx, so they run first). They make a spec load
// from any directory, as docs/spec-api.md ("Writing a spec outside the
// repository") describes:
// - `import ... from 'klpcheck'` resolves to this checkout's src/engine/index.ts,
//   and 'klpcheck/plugin' (a plug-in's API) to src/livepatch/plugin.ts;
// - `import ... from 'immutable'` resolves to the copy the engine itself uses,
//   wherever the spec lives: fingerprints and Immutable.is depend on one
//   instance of the library;
// - a .ts file outside node_modules is loaded as an ES module even where no
//   package.json (or one saying "type": "commonjs") says so: tsx would
//   otherwise load it as CommonJS, and Node refuses the require(esm) cycle
//   that makes with `export default defineSpec(...)`. (.cts stays CommonJS.)
// Plain JavaScript because it runs in Node's hooks thread, before tsx matters.
import { fileURLToPath } from 'node:url';

/** @type {string} */
let engineUrl = '';
/** @type {string} */
let rootUrl = '';

/** @param {{ engineUrl: string, rootUrl: string }} data */
export function initialize(data) {
  engineUrl = data.engineUrl;
  rootUrl = data.rootUrl;
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string, conditions?: string[], importAttributes?: object }} context
 * @param {(specifier: string, context?: object) => Promise<{ url: string, format?: string | null }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'klpcheck') return { url: engineUrl, format: 'module', shortCircuit: true };
  if (specifier === 'klpcheck/plugin') return { url: new URL('src/livepatch/plugin.ts', rootUrl).href, format: 'module', shortCircuit: true };
  if (specifier === 'immutable' || specifier.startsWith('immutable/')) {
    return nextResolve(specifier, { ...context, parentURL: rootUrl });
  }
  const resolved = await nextResolve(specifier, context);
  if (resolved.format !== 'module' && isSpecTypeScript(resolved.url)) return { ...resolved, format: 'module' };
  return resolved;
}

/** A .ts file (not .cts, not under node_modules): spec modules are ES modules. */
function isSpecTypeScript(url) {
  if (!url.startsWith('file:')) return false;
  const path = fileURLToPath(url);
  return path.endsWith('.ts') && !path.includes('/node_modules/');
}
