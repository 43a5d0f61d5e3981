// A load hook, chained after tsx (registered later, so it runs first), that
// compiles ES-module TypeScript with esbuild as tsx does but without keepNames.
//
// Why: tsx always passes keepNames, which wraps every named function
// expression and arrow in `__name(fn, "fn")`; that helper calls
// Object.defineProperty on each new closure, so a closure built per call on
// the search's hot path (a spec's `const f = (x) => ...` inside an action,
// the livepatch model's helpers) costs a property redefinition per state.
// tsx does not rename identifiers, so the names keepNames preserves are the
// ones JavaScript already infers: dropping it changes no `.name`. tsx still
// resolves every module and decides its format; CommonJS (.cts, or a package
// saying so) is left to tsx untouched. See docs/adr/0016-fast-fingerprints.md.
// Plain JavaScript because it runs in Node's hooks thread.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const TYPESCRIPT = /\.m?ts$/;

/**
 * @param {string} url
 * @param {{ format?: string | null }} context
 * @param {(url: string, context?: object) => Promise<{ format?: string | null, source?: string | ArrayBuffer | Uint8Array | null }>} nextLoad
 */
export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (loaded.format !== 'module' || !url.startsWith('file:')) return loaded;
  const file = fileURLToPath(url.split('?')[0] ?? url);
  if (!TYPESCRIPT.test(file) || file.includes('/node_modules/')) return loaded;
  const code = await readFile(file, 'utf8');
  const out = await transform(code, {
    loader: 'ts',
    format: 'esm',
    target: `node${process.versions.node}`,
    sourcemap: 'inline',
    sourcefile: file,
  });
  return { format: 'module', source: out.code, shortCircuit: true };
}
