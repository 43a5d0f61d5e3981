// Writes result files under --out DIR all-or-nothing: each file goes to a
// temporary name first and is renamed into place only when every file has
// been written, so a failed run never leaves a half-written output behind.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KlpError } from '../engine/errors.ts';

/**
 * mkdir -p, one level at a time. Node 20's recursive mkdirSync never returns
 * for some unwritable places (it spins on ENOENT under /proc), so it is not
 * used here.
 */
function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}

export function writeOutputs(dir: string, files: { readonly [name: string]: string }): string[] {
  const written: string[] = [];
  const temps: [string, string][] = [];
  try {
    ensureDir(dir);
    for (const [name, text] of Object.entries(files)) {
      const target = join(dir, name);
      const temp = `${target}.${process.pid}.tmp`;
      writeFileSync(temp, text);
      temps.push([temp, target]);
    }
    for (const [temp, target] of temps) {
      renameSync(temp, target);
      written.push(target);
    }
    return written;
  } catch (e) {
    for (const [temp] of temps) rmSync(temp, { force: true });
    const msg = e instanceof Error ? e.message : String(e);
    throw new KlpError('KLP302', `cannot write results to ${dir}: ${msg}`, { cause: e });
  }
}
