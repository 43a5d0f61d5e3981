// Loads a spec module written in TypeScript (or JavaScript) and returns its
// default-exported spec. Every way this can fail becomes one KlpError naming
// the file: missing file, load-time throw or syntax error, no spec exported.
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
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
      hints: ['write `export default defineSpec({ ... })` (defineSpec comes from klpcheck\'s src/engine)'],
    });
  }
  return mod.default;
}

/** esbuild reports "file:line:col: ERROR: text"; keep the location, drop the stack. */
function loadError(file: string, e: unknown): KlpError {
  const text = e instanceof Error ? e.message : String(e);
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
