// Loads a spec module written in TypeScript (or JavaScript) and returns its
// default-exported spec. Every way this can fail becomes one KlpError naming
// the file: missing file, load-time throw or syntax error, no spec exported.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KlpError } from '../engine/errors.ts';
import { isSpec, type Spec } from '../engine/spec.ts';

const MODULE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export async function loadSpec(file: string): Promise<Spec> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new KlpError('KLP101', `no spec file ${file}`, { location: { file } });
  }
  if (!MODULE_EXTENSIONS.includes(extname(path))) {
    // Importing README.md or a shell script would fail obscurely, or run it.
    throw new KlpError('KLP208', `${file} is neither a scenario (.yaml, .yml) nor a spec module (${MODULE_EXTENSIONS.join(', ')})`, { location: { file } });
  }
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
  } catch (e) {
    throw loadError(file, e);
  }
  if (!isSpec(mod.default)) {
    throw new KlpError('KLP102', `${file} does not default-export a spec`, {
      location: { file },
      hints: ["write `export default defineSpec({ ... })`, with `import { defineSpec } from 'klpcheck'`"],
    });
  }
  return mod.default;
}

/** esbuild reports "file:line:col: ERROR: text"; keep the location, drop the stack. */
function loadError(file: string, e: unknown): KlpError {
  const text = e instanceof Error ? e.message : String(e);
  const missing = missingImport(file, e);
  if (missing !== undefined) return missing;
  const m = /:(\d+):(\d+): ERROR: (.*)/.exec(text);
  if (m !== null) {
    return new KlpError('KLP103', `cannot compile spec: ${m[3]}`, { location: { file, line: Number(m[1]), col: Number(m[2]) + 1 }, cause: e });
  }
  // Node's own SyntaxError: the stack starts "path:LINE", the source line, a caret.
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const node = /^.*:(\d+)\n.*\n( *)\^/.exec(stack);
  if (e instanceof SyntaxError && node !== null) {
    return new KlpError('KLP103', `cannot compile spec: ${text}`, { location: { file, line: Number(node[1]), col: node[2]!.length + 1 }, cause: e });
  }
  const first = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return new KlpError('KLP103', `spec threw while loading: ${first}`, { location: { file }, cause: e });
}

/**
 * An import that does not resolve (ERR_MODULE_NOT_FOUND): say which import of
 * which file, where in it, and what klpcheck provides to a spec anywhere.
 */
function missingImport(file: string, e: unknown): KlpError | undefined {
  if (!(e instanceof Error) || (e as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return undefined;
  const m = /^Cannot find (package|module) '([^']+)' imported from (.+)$/m.exec(e.message);
  if (m === null) return undefined;
  const [, what, target, from] = m as unknown as [string, string, string, string];
  const importer = from.startsWith('file:') ? fileURLToPath(from) : from;
  const shown = resolve(importer) === resolve(file) ? file : importer;
  const location = { file: shown, ...importPosition(importer, what === 'package' ? target : basename(target)) };
  if (what === 'package') {
    return new KlpError('KLP103', `cannot load spec: it imports the package '${target}', which is not installed where ${basename(importer)} is`, {
      location,
      hints: [`klpcheck provides 'klpcheck' and 'immutable' to a spec in any directory; install other packages next to the spec (npm install ${target})`],
      cause: e,
    });
  }
  return new KlpError('KLP103', `cannot load spec: it imports ${target}, which does not exist`, { location, cause: e });
}

/** Line and column of the quoted import specifier ending in `name`, if the file says it. */
function importPosition(path: string, name: string): { line?: number; col?: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const q = new RegExp(`(['"])[^'"]*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`).exec(lines[i]!);
    if (q !== null && /\b(import|from|export)\b/.test(lines[i]!)) return { line: i + 1, col: q.index + 1 };
  }
  return {};
}
