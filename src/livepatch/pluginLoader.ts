// Loads the plug-ins a scenario lists: finds the file, type-checks it
// against the plug-in API with the TypeScript compiler (first diagnostic,
// file:line:col), imports it, checks the shape of its default export, and
// returns each variant with its implementation wrapped by the run-time guard
// (pluginGuard.ts). Every failure is one KlpError naming the plug-in file
// (KLP401-406). A file is loaded once per process. Without the typescript
// package the type check is skipped, and a run that uses the plug-in says so
// (KLP507, model.ts).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { KlpError, type SourceLocation } from '../engine/errors.ts';
import type { CheckWarning } from '../engine/result.ts';
import type { PluginFamily } from './plugin.ts';
import { guardChildStack, guardFork, guardStackCheck, guardUnwinder, shown, type GuardSite } from './pluginGuard.ts';
import { RULE_FAMILIES, type AddedVariant } from './rules/index.ts';

export const PLUGIN_FAMILIES: readonly PluginFamily[] = ['fork', 'child-stack', 'stack-check', 'unwinder', 'immediate'];

export interface LoadedPlugin {
  /** As the scenario names it (relative to the scenario file). */
  readonly file: string;
  readonly path: string;
  readonly variants: readonly AddedVariant[];
  /** False when the TypeScript compiler is not installed: only the run-time guard applies. */
  readonly typeChecked: boolean;
  /** Milliseconds spent type-checking (0 when cached or skipped). */
  readonly typeCheckMs: number;
}

const cache = new Map<string, LoadedPlugin>();
const libFiles = new Map<string, import('typescript').SourceFile>();

type TypeScriptImport = () => Promise<typeof import('typescript')>;
const importInstalled: TypeScriptImport = async () => (await import('typescript')).default;
let importTypeScript = importInstalled;

/**
 * Replaces how the compiler is imported (undefined: the installed one), and
 * forgets the plug-ins loaded so far. For tests: one that rejects stands for
 * a machine without the typescript package.
 */
export function setTypeScriptImport(f: TypeScriptImport | undefined): void {
  importTypeScript = f ?? importInstalled;
  cache.clear();
}

/** KLP507, for a run (model.ts) or a listing (rules) that uses a plug-in loaded without its type check. */
export function notTypeCheckedWarning(file: string): CheckWarning {
  return { code: 'KLP507', message: `plug-in ${file} was loaded without a type check (the typescript package is not installed): only the run-time checks of its values applied` };
}

/** `file` as written in the scenario, `path` resolved; `from` is where the scenario names it. */
export async function loadPlugin(file: string, path: string, from?: SourceLocation): Promise<LoadedPlugin> {
  const abs = resolve(path);
  const hit = cache.get(abs);
  if (hit !== undefined) return { ...hit, file, typeCheckMs: 0 };
  if (!existsSync(abs) || !statSync(abs).isFile()) {
    throw new KlpError('KLP401', `plug-in ${file} not found (looked for ${abs})`, { ...(from ? { location: from } : {}), hints: ['plug-in paths are relative to the scenario file'] });
  }
  const started = performance.now();
  const typeChecked = await typeCheck(file, abs);
  const typeCheckMs = Math.round(performance.now() - started);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (e) {
    throw loadError(file, abs, e);
  }
  const loaded: LoadedPlugin = { file, path: abs, variants: shape(file, abs, mod.default), typeChecked, typeCheckMs };
  cache.set(abs, loaded);
  return loaded;
}

/** The first TypeScript diagnostic of the plug-in, as KLP402 with file:line:col; false if typescript is absent. */
async function typeCheck(file: string, abs: string): Promise<boolean> {
  let ts: typeof import('typescript');
  try {
    ts = await importTypeScript();
  } catch {
    return false;
  }
  const options = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
    // A plug-in outside the repository imports the API as 'klpcheck/plugin' (bin/specImports.js maps it at run time).
    paths: { 'klpcheck/plugin': [fileURLToPath(new URL('./plugin.ts', import.meta.url))] },
  };
  // The standard library's declarations are parsed once per process, not once per plug-in.
  const host = ts.createCompilerHost(options);
  const parse = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, onError, fresh) => {
    if (!/[\\/]typescript[\\/]lib[\\/]lib\.[^\\/]*\.d\.ts$/.test(name)) return parse(name, language, onError, fresh);
    let sf = libFiles.get(name);
    if (sf === undefined) {
      sf = parse(name, language, onError, fresh);
      if (sf !== undefined) libFiles.set(name, sf);
    }
    return sf;
  };
  const program = ts.createProgram([abs], options, host);
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const d = diagnostics.find((x) => x.file !== undefined && resolve(x.file.fileName) === abs) ?? diagnostics[0];
  if (d === undefined) return true;
  const chain = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const text = chain[0]!;
  // An inline impl is checked against every family's type at once, and TypeScript then explains
  // the mismatch with some other family: point at the way to get the precise reason instead.
  const why = /Variant \| /.test(text)
    ? ['declare the impl with its family\'s type (e.g. `const impl: UnwinderVariant = ...`) for the precise reason']
    : chain.length > 1
      ? [`because: ${chain[chain.length - 1]}`]
      : [];
  let location: SourceLocation = { file };
  if (d.file !== undefined && d.start !== undefined) {
    const pos = d.file.getLineAndCharacterOfPosition(d.start);
    location = { file: resolve(d.file.fileName) === abs ? file : d.file.fileName, line: pos.line + 1, col: pos.character + 1 };
  }
  throw new KlpError('KLP402', `plug-in ${file} does not type-check: TS${d.code}: ${text}`, { location, hints: [...why, 'a plug-in is checked against src/livepatch/plugin.ts (strict TypeScript)'] });
}

function loadError(file: string, abs: string, e: unknown): KlpError {
  const text = e instanceof Error ? e.message : String(e);
  const esbuild = /:(\d+):(\d+): ERROR: (.*)/.exec(text);
  if (esbuild !== null) {
    return new KlpError('KLP403', `plug-in ${file} does not compile: ${esbuild[3]}`, { location: { file, line: Number(esbuild[1]), col: Number(esbuild[2]) + 1 }, cause: e });
  }
  const first = text.split('\n').find((l) => l.trim() !== '') ?? text;
  const stack = e instanceof Error ? (e.stack ?? '') : '';
  const at = stack.split('\n').map((l) => l.indexOf(abs) >= 0 ? /^:(\d+):(\d+)/.exec(l.slice(l.indexOf(abs) + abs.length)) : null).find((m) => m != null);
  const location: SourceLocation = at ? { file, line: Number(at[1]), col: Number(at[2]) } : { file };
  return new KlpError('KLP403', `plug-in ${file} threw while loading: ${first}`, { location, cause: e });
}

/** Line and column of a variant's name in the plug-in source, for messages about it. */
function nameAt(file: string, abs: string, name: string): SourceLocation {
  let text = '';
  try {
    text = readFileSync(abs, 'utf8');
  } catch {
    return { file };
  }
  const i = Math.max(text.indexOf(`'${name}'`), text.indexOf(`"${name}"`));
  if (i < 0) return { file };
  const before = text.slice(0, i).split('\n');
  return { file, line: before.length, col: before[before.length - 1]!.length + 1 };
}

const HINT = 'write `export default definePlugin({ variants: [{ family, name, description, impl }] })` (src/livepatch/plugin.ts)';

function shape(file: string, abs: string, exported: unknown): AddedVariant[] {
  const none = (why: string, location: SourceLocation = { file }): KlpError => new KlpError('KLP404', `plug-in ${file} exports nothing usable: ${why}`, { location, hints: [HINT] });
  if (exported === undefined) throw none('no default export');
  if (typeof exported !== 'object' || exported === null || !Array.isArray((exported as { variants?: unknown }).variants)) throw none(`the default export is ${shown(exported)}, not { variants: [...] }`);
  const list = (exported as { variants: unknown[] }).variants;
  if (list.length === 0) throw none('variants is empty');
  const out: AddedVariant[] = [];
  for (const [i, v] of list.entries()) {
    if (typeof v !== 'object' || v === null) throw none(`variants[${i}] is ${shown(v)}`);
    const { family, name, description, impl } = v as { family?: unknown; name?: unknown; description?: unknown; impl?: unknown };
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) throw none(`variants[${i}].name must be a name of letters, digits, - and _, got ${shown(name)}`);
    const at = nameAt(file, abs, name);
    if (typeof family !== 'string' || !(PLUGIN_FAMILIES as readonly string[]).includes(family)) {
      throw new KlpError('KLP405', `plug-in ${file}: variant ${name} is for family ${shown(family)}, which takes no plug-ins`, { location: at, hints: [`plug-in families: ${PLUGIN_FAMILIES.join(', ')}`] });
    }
    const site: GuardSite = { file, family, variant: name };
    if (typeof description !== 'string' || description.trim() === '') throw none(`variant ${family}=${name} has no description`, at);
    const builtIn = RULE_FAMILIES.find((f) => f.name === family)!;
    if (builtIn.variants.some((b) => b.name === name)) {
      throw new KlpError('KLP406', `plug-in ${file}: variant ${family}=${name} has the name of a built-in variant`, { location: at, hints: [`built-in ${family} rules: ${builtIn.variants.map((b) => b.name).join(', ')}`] });
    }
    if (out.some((o) => o.family === family && o.variant.name === name)) throw new KlpError('KLP406', `plug-in ${file}: variant ${family}=${name} is defined twice`, { location: at });
    const bad = (what: string): KlpError => none(`variant ${family}=${name}: impl must be ${what}, got ${shown(impl)}`, at);
    let guarded: unknown;
    if (family === 'fork') {
      const f = impl as { atomic?: unknown; child?: unknown; resolveIdle?: unknown } | null;
      if (typeof f !== 'object' || f === null || typeof f.atomic !== 'boolean' || typeof f.child !== 'function' || !(f.resolveIdle === undefined || typeof f.resolveIdle === 'function')) {
        throw bad('{ atomic: boolean, child(parent, kernel), resolveIdle?(call) }');
      }
      guarded = guardFork(site, abs, impl as Parameters<typeof guardFork>[2]);
    } else if (family === 'immediate') {
      if (typeof impl !== 'object' || impl === null || typeof (impl as { honoured?: unknown }).honoured !== 'boolean') throw bad('{ honoured: boolean }');
      guarded = { honoured: (impl as { honoured: boolean }).honoured };
    } else {
      if (typeof impl !== 'function') throw bad('a function');
      guarded =
        family === 'child-stack'
          ? guardChildStack(site, abs, impl as Parameters<typeof guardChildStack>[2])
          : family === 'stack-check'
            ? guardStackCheck(site, abs, impl as Parameters<typeof guardStackCheck>[2])
            : guardUnwinder(site, abs, impl as Parameters<typeof guardUnwinder>[2]);
    }
    out.push({ family, variant: { name, description, impl: guarded, origin: file } });
  }
  return out;
}

/** Two plug-ins of one scenario adding the same variant name to a family. */
export function checkNoClash(plugins: readonly LoadedPlugin[]): void {
  const seen = new Map<string, string>();
  for (const p of plugins) {
    for (const v of p.variants) {
      const key = `${v.family}=${v.variant.name}`;
      const other = seen.get(key);
      if (other !== undefined) throw new KlpError('KLP406', `plug-ins ${other} and ${p.file} both define variant ${key}`, { location: nameAt(p.file, p.path, v.variant.name) });
      seen.set(key, p.file);
    }
  }
}
