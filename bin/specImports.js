// Module resolution hooks for spec files (registered by bin/klpcheck.js with
// node:module's register, after tsx, so they run first). They make a spec load
// from any directory, as docs/spec-api.md ("Writing a spec outside the
// repository") describes:
// - `import ... from 'klpcheck'` resolves to this checkout's src/engine/index.ts;
// - `import ... from 'immutable'` resolves to the copy the engine itself uses,
//   wherever the spec lives: fingerprints and Immutable.is depend on one
//   instance of the library;
// - a .ts file outside any package that declares "type" is loaded as an ES
//   module (tsx would otherwise treat it as CommonJS, which cannot hold
//   `export default defineSpec(...)` next to its imports).
// Plain JavaScript because it runs in Node's hooks thread, before tsx matters.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
  if (specifier === 'immutable' || specifier.startsWith('immutable/')) {
    return nextResolve(specifier, { ...context, parentURL: rootUrl });
  }
  const resolved = await nextResolve(specifier, context);
  if (resolved.format !== 'module' && isTypelessTypeScript(resolved.url)) return { ...resolved, format: 'module' };
  return resolved;
}

/** A .ts file, not under node_modules, whose nearest package.json (if any) declares no "type". */
function isTypelessTypeScript(url) {
  if (!url.startsWith('file:') || !/\.ts$/.test(new URL(url).pathname)) return false;
  const path = fileURLToPath(url);
  if (path.includes('/node_modules/')) return false;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        return JSON.parse(readFileSync(pkg, 'utf8')).type === undefined;
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return true;
  }
}
