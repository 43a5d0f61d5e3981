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
// resolves every module and decides the format of any module outside
// klpcheck's own folder (whose package.json says ES modules); CommonJS (.cts,
// JavaScript in a package saying so) is left to tsx untouched. See
// docs/adr/0016-fast-fingerprints.md.
//
// The output is cached on disk, as tsx caches its own: every command and
// every worker thread loads some 120 modules through here, and compiling
// them again each time was about a fifth of the command line's start-up
// (docs/adr/0021-compile-cache.md). The cache file's name is a hash of
// everything the output depends on (esbuild's version, its options, among
// them the target Node version and the file's path, and the file's text), so
// an edited file is compiled again; a file is written under a temporary name
// and renamed into place, so processes sharing the folder never read half a
// file. The folder is used only if it is this user's and no one else may
// write to it; any failure to read or write the cache only means compiling.
// Plain JavaScript because it runs in Node's hooks thread.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform, version as esbuildVersion } from 'esbuild';

const TYPESCRIPT = /\.m?ts$/;

/** klpcheck's own folder, and whether its package.json makes its .ts files ES modules. */
const ROOT = new URL('../', import.meta.url).href;
const OWN_ESM = (() => {
  try {
    return JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')).type === 'module';
  } catch {
    return false;
  }
})();

/** The cache folder: one per user, as tsx's. */
const CACHE = join(tmpdir(), `klpcheck-plain-${process.getuid?.() ?? 'user'}`);
/** Whether the folder may be used: made if need be, a directory of this user's that no one else can write to. */
let cacheUsable;
function usable() {
  cacheUsable ??= (async () => {
    try {
      await mkdir(CACHE, { recursive: true, mode: 0o700 });
      const st = await lstat(CACHE);
      return st.isDirectory() && (process.getuid === undefined || st.uid === process.getuid()) && (st.mode & 0o022) === 0;
    } catch {
      return false;
    }
  })();
  return cacheUsable;
}

/**
 * @param {string} url
 * @param {{ format?: string | null }} context
 * @param {(url: string, context?: object) => Promise<{ format?: string | null, source?: string | ArrayBuffer | Uint8Array | null }>} nextLoad
 */
export async function load(url, context, nextLoad) {
  // klpcheck's own modules: ES modules (its package.json says so); tsx's load would compile them only for nothing.
  if (OWN_ESM && url.startsWith(ROOT) && url.endsWith('.ts') && !url.includes('/node_modules/')) return plain(fileURLToPath(url));
  const loaded = await nextLoad(url, context);
  if (loaded.format !== 'module' || !url.startsWith('file:')) return loaded;
  const file = fileURLToPath(url.split('?')[0] ?? url);
  if (!TYPESCRIPT.test(file) || file.includes('/node_modules/')) return loaded;
  return plain(file);
}

/** The load result of a TypeScript ES module compiled without keepNames. */
async function plain(file) {
  return { format: 'module', source: await compiled(file, await readFile(file, 'utf8')), shortCircuit: true };
}

/** The file's text compiled without keepNames: from the cache, or compiled and then cached. */
async function compiled(file, code) {
  // Everything the output depends on is in the name: the options too, so that changing them here compiles anew.
  const options = { loader: 'ts', format: 'esm', target: `node${process.versions.node}`, sourcemap: 'inline', sourcefile: file };
  const key = createHash('sha256').update(`${esbuildVersion}\0${JSON.stringify(options)}\0${code}`).digest('hex');
  const path = join(CACHE, `${key}.mjs`);
  const cache = await usable();
  if (cache) {
    try {
      return await readFile(path, 'utf8');
    } catch {
      // Not cached yet (or unreadable): compile.
    }
  }
  const out = await transform(code, options);
  if (!cache) return out.code;
  const part = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(part, out.code, { flag: 'wx' });
    await rename(part, path);
  } catch {
    // A cache that cannot be written (a full disk): the next run compiles again; no partial file stays.
    await unlink(part).catch(() => undefined);
  }
  return out.code;
}
