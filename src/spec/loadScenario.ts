// Loads a declarative scenario file (docs/spec-format.md) into a Scenario:
// parses the YAML, checks it against the format (keys, types, rule names,
// property names, references, recursion) and fails on the first problem with
// one KlpError carrying file:line:col. spec.schema.json describes the same
// format for editors; test/spec/loadScenario.test.ts keeps the two in step.
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument, isMap, isSeq, type YAMLParseError } from 'yaml';
import { KlpError, isKlpError } from '../engine/errors.ts';
import { PROPERTIES, propertyNamed } from '../livepatch/properties.ts';
import { ASSUMPTIONS, TEMPORAL_PROPERTIES, assumptionNamed, temporalPropertyNamed, type Assumption } from '../livepatch/liveness.ts';
import { RULE_FAMILIES, checkRule, familyNamed, type RuleCatalog } from '../livepatch/rules/index.ts';
import type { AdminDecl, Expectation, FunctionDecl, PatchDecl, RuleSettings, Scenario, Step, TaskDecl, TaskKind, VariantDecl } from '../livepatch/scenario.ts';
import { LIMIT_HINT, LIMITS, overLimit, readBoundedList } from './limits.ts';
import { checkRecursion, parseAdmin, parseBody, type CallSite } from './steps.ts';
import {
  IDENTIFIER,
  checkUnique,
  isNull,
  mapEntries,
  readBool,
  readChoice,
  readInt,
  readLine,
  readList,
  readMap,
  readName,
  readString,
  YamlSource,
  type YEntry,
  type YValue,
} from './yamlNodes.ts';

/** The keys each map of the format allows (spec.schema.json lists the same; a test checks). */
export const KEYS = {
  top: ['title', 'plugins', 'rules', 'functions', 'patches', 'tasks', 'admin', 'check', 'assume', 'expect', 'variants'],
  patch: ['name', 'replaces', 'immediate', 'immediate-functions', 'replace', 'formats', 'accepts'],
  user: ['name', 'kind', 'syscalls', 'exits'],
  kthread: ['name', 'kind', 'loop'],
  idle: ['name', 'kind'],
  expect: ['verdict', 'property', 'trace-length'],
  variant: ['name', 'rules', 'admin', 'expect'],
} as const;
const TOP_REQUIRED = ['title', 'functions', 'tasks', 'check'];
const TASK_KINDS: readonly TaskKind[] = ['user', 'kthread', 'idle'];
const ALL_TASK_KEYS = ['name', 'kind', 'syscalls', 'exits', 'loop'];
const PROPERTY_HINT = `properties: ${PROPERTIES.map((p) => `${p.name} (${p.alias})`).join(', ')}`;
// --- temporal properties and assumptions (liveness)
const TEMPORAL_HINT = `temporal properties: ${TEMPORAL_PROPERTIES.map((p) => `${p.name} (${p.alias})`).join(', ')}`;
const ASSUME_HINT = `assumptions: ${ASSUMPTIONS.map((a) => a.name).join(', ')}`;

/** An invariant or a temporal property, by full name or alias. */
function anyPropertyNamed(name: string): { name: string } | undefined {
  return propertyNamed(name) ?? temporalPropertyNamed(name);
}

function parseAssume(src: YamlSource, v: YValue): Assumption[] {
  const out: Assumption[] = [];
  for (const item of readList(src, v, 'assume')) {
    const name = readString(src, item, 'an entry of assume', [ASSUME_HINT]);
    const a = assumptionNamed(name);
    if (a === undefined) throw src.error('KLP204', `unknown assumption "${name}"`, item.at, [ASSUME_HINT]);
    if (out.includes(a.name)) throw src.schema(`assumption "${a.name}" is listed twice in assume`, item.at);
    out.push(a.name);
  }
  return out;
}
// --- end temporal

export function loadScenario(file: string): Scenario {
  return parseScenario(readScenarioText(file), file);
}

/** A scenario file's text; a directory, a device or a file over the size limit is refused before reading. */
export function readScenarioText(file: string): string {
  let text: string;
  try {
    const st = statSync(file);
    // A FIFO or /dev/zero would block or never end; a directory cannot be read.
    if (st.isDirectory()) return notAFile(file, 'is a directory');
    if (!st.isFile()) return notAFile(file, 'is not a regular file');
    if (st.size > LIMITS.fileBytes) return tooLarge(file, st.size);
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (isKlpError(e)) throw e;
    throw new KlpError('KLP101', `cannot read spec file ${file}`, { location: { file }, cause: e });
  }
  return text;
}

function notAFile(file: string, what: string): never {
  throw new KlpError('KLP207', `spec file ${file} ${what}`, { location: { file }, hints: ['name a scenario file (.yaml)'] });
}

function tooLarge(file: string, bytes: number): never {
  throw new KlpError('KLP207', `spec file ${file} has ${bytes} bytes; at most ${LIMITS.fileBytes} are allowed`, { location: { file }, hints: [LIMIT_HINT] });
}

/** The plug-ins of a scenario once loaded (loadScenarioFile.ts): the files, and the families with their variants. */
export interface LoadedPlugins {
  readonly files: readonly string[];
  readonly catalog: RuleCatalog;
  /** The files loaded without a type check (no typescript package). */
  readonly notTypeChecked?: readonly string[];
}

export function parseScenario(text: string, file: string, plugins?: LoadedPlugins): Scenario {
  if (Buffer.byteLength(text) > LIMITS.fileBytes) tooLarge(file, Buffer.byteLength(text));
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const src = new YamlSource(file, lines, doc);
  const bad = doc.errors[0];
  if (bad !== undefined) throw yamlError(src, text, bad);
  if (doc.contents === null) throw src.schema('the file holds no scenario (a map with title, functions, tasks and check)', 0);
  const top = readMap(src, src.value(doc.contents, 0), 'the scenario', KEYS.top, TOP_REQUIRED);
  const at = (key: string): YValue => top.get(key)!.value;
  const opt = (key: string): YValue | undefined => top.get(key)?.value;

  const title = readLine(src, at('title'), 'title');
  const pluginList = opt('plugins') === undefined ? [] : readList(src, at('plugins'), 'plugins').map((v) => readString(src, v, 'an entry of plugins'));
  if (pluginList.length > 0 && plugins === undefined) {
    throw src.error('KLP409', 'this scenario lists plug-ins, which are loaded before the scenario (loadScenarioFile), not by parseScenario', top.get('plugins')!.keyAt);
  }
  const catalog = plugins?.catalog ?? RULE_FAMILIES;
  const rules = opt('rules') === undefined ? {} : parseRules(src, at('rules'), 'rules', catalog);
  const calls: CallSite[] = [];
  const functions = parseFunctions(src, at('functions'), calls);
  const names = new Set(functions.keys());
  const patches = opt('patches') === undefined ? [] : parsePatches(src, at('patches'), functions, calls);
  checkRecursion(src, [...names], calls);
  const { tasks, maxForked } = parseTasks(src, at('tasks'), names, mayFork(functions, patches));
  const patchNames = new Set(patches.map((p) => p.name));
  const adminValue = opt('admin');
  const admin: AdminDecl = adminValue === undefined ? { sequence: [], anytime: new Set() } : parseAdmin(src, adminValue, 'admin', patchNames);
  const { check, callers } = parseCheck(src, at('check'), names);
  const assumeValue = opt('assume');
  const assume = assumeValue === undefined ? undefined : parseAssume(src, assumeValue);
  const expectValue = opt('expect');
  const expect = expectValue === undefined ? undefined : parseExpect(src, expectValue, 'expect', check);
  const variantsValue = opt('variants');
  const variants = variantsValue === undefined ? [] : parseVariants(src, variantsValue, rules, patchNames, check, catalog);
  const unchecked = plugins?.notTypeChecked ?? [];
  const withPlugins = plugins === undefined ? {} : { plugins: plugins.files, catalog, ...(unchecked.length > 0 ? { pluginsNotTypeChecked: unchecked } : {}) };
  return { title, file, ...withPlugins, rules, functions, patches, tasks, maxForked, admin, check, ...(callers === undefined ? {} : { callers }), ...(assume === undefined ? {} : { assume }), ...(expect === undefined ? {} : { expect }), variants };
}

/** The yaml library's error at its position, with the offending line (clipped around the column) and a caret. */
function yamlError(src: YamlSource, text: string, e: YAMLParseError): KlpError {
  const loc = src.location(e.pos[0]);
  const line = text.split(/\r?\n/)[(loc.line ?? 1) - 1] ?? '';
  const { shown, caret } = clip(line, (loc.col ?? 1) - 1);
  const hints = line.trim() === '' ? [] : [shown, `${' '.repeat(caret)}^`];
  // The parser recurses per nesting level; thousands of [ or { exhaust the stack.
  const message = /Maximum call stack size exceeded/.test(e.message) ? 'the YAML nests too deeply to parse' : e.message;
  return new KlpError('KLP201', message, { location: loc, hints, cause: e });
}

const CLIP = 40;

/** At most 2 * CLIP characters of a long line around column `col` (0-based), with ... where cut. */
export function clip(line: string, col: number): { shown: string; caret: number } {
  if (line.length <= 2 * CLIP + 8) return { shown: line, caret: col };
  const from = Math.max(0, Math.min(col - CLIP, line.length - 2 * CLIP));
  const to = Math.min(line.length, from + 2 * CLIP);
  const head = from > 0 ? '...' : '';
  return { shown: `${head}${line.slice(from, to)}${to < line.length ? '...' : ''}`, caret: col - from + head.length };
}

function parseRules(src: YamlSource, v: YValue, what: string, catalog: RuleCatalog): RuleSettings {
  const out: { [family: string]: string } = {};
  for (const e of mapEntries(src, v, what).values()) {
    const unknownFamily = familyNamed(e.key, catalog) === undefined ? checkRule(e.key, '', catalog) : undefined;
    if (unknownFamily !== undefined) throw relocate(src, unknownFamily, e.keyAt);
    const variant = readString(src, e.value, `${what}.${e.key}`);
    const unknownVariant = checkRule(e.key, variant, catalog);
    if (unknownVariant !== undefined) throw relocate(src, unknownVariant, e.value.at);
    out[e.key] = variant;
  }
  return out;
}

function relocate(src: YamlSource, e: KlpError, at: number): KlpError {
  return new KlpError(e.code, e.message, { location: src.location(at), hints: e.hints });
}

function parseFunctions(src: YamlSource, v: YValue, calls: CallSite[]): Map<string, FunctionDecl> {
  const entries = mapEntries(src, v, 'functions');
  const list = [...entries.values()];
  if (list.length > LIMITS.functions) throw overLimit(src, 'functions', list.length, LIMITS.functions, list[LIMITS.functions]!.keyAt, 'functions');
  for (const e of list) {
    if (!IDENTIFIER.test(e.key)) throw src.schema(`function name "${e.key}" is not a valid name`, e.keyAt, ['names are letters, digits, _ and ., not starting with a digit']);
  }
  const names = new Set(entries.keys());
  const out = new Map<string, FunctionDecl>();
  for (const e of entries.values()) {
    const what = `the body of ${e.key}`;
    if (isSeq(e.value.node)) {
      out.set(e.key, { name: e.key, body: parseBody(src, e.value, what, names, e.key, calls), frameless: false });
    } else if (isMap(e.value.node)) {
      const m = readMap(src, e.value, `functions.${e.key}`, ['body', 'frameless'], ['body']);
      const body = parseBody(src, m.get('body')!.value, what, names, e.key, calls);
      const frameless = m.has('frameless') ? readBool(src, m.get('frameless')!.value, `functions.${e.key}.frameless`) : false;
      out.set(e.key, { name: e.key, body, frameless });
    } else {
      throw src.schema(`functions.${e.key} must be a list of steps or a map with body and frameless`, e.value.at);
    }
  }
  return out;
}

function parsePatches(src: YamlSource, v: YValue, functions: ReadonlyMap<string, FunctionDecl>, calls: CallSite[]): PatchDecl[] {
  const seen = new Map<string, number>();
  return readBoundedList(src, v, 'patches', LIMITS.patches, 'patches').map((item, i) => {
    const m = readMap(src, item, `patches[${i}]`, KEYS.patch, ['name', 'replaces']);
    const nameValue = m.get('name')!.value;
    const name = readName(src, nameValue, 'patch name');
    checkUnique(src, seen, name, nameValue.at, 'patch name');
    const replaces = parseReplaces(src, m.get('replaces')!.value, `patches[${i}].replaces`, name, functions, calls);
    const bool = (key: string): boolean => (m.has(key) ? readBool(src, m.get(key)!.value, `patches[${i}].${key}`) : false);
    const immediate = bool('immediate');
    const replace = bool('replace');
    const immediateFunctions = new Set<string>();
    const imm = m.get('immediate-functions');
    if (imm !== undefined) {
      for (const f of readList(src, imm.value, `patches[${i}].immediate-functions`)) {
        const fn = readString(src, f, `an entry of patches[${i}].immediate-functions`);
        if (!replaces.has(fn)) {
          const why = functions.has(fn) ? `which ${name} does not replace` : 'which is not declared';
          throw src.error('KLP204', `immediate-functions of patch ${name} names "${fn}", ${why}`, f.at, [`${name} replaces: ${[...replaces.keys()].join(', ') || 'nothing'}`]);
        }
        if (immediateFunctions.has(fn)) throw src.schema(`"${fn}" is listed twice in patches[${i}].immediate-functions`, f.at);
        immediateFunctions.add(fn);
      }
    }
    const formats = m.has('formats') ? parseFormats(src, m.get('formats')!.value, `patches[${i}].formats`, name, replaces) : undefined;
    const accepts = m.has('accepts') ? parseAccepts(src, m.get('accepts')!.value, `patches[${i}].accepts`, name, replaces) : undefined;
    return { name, replaces, immediate, immediateFunctions, replace, ...(formats === undefined ? {} : { formats }), ...(accepts === undefined ? {} : { accepts }) };
  });
}

/** A function named under formats/accepts must be one the patch replaces. */
function replacedBy(src: YamlSource, e: YEntry, what: string, patch: string, replaces: ReadonlyMap<string, unknown>): void {
  if (!replaces.has(e.key)) {
    throw src.error('KLP222', `${what} names "${e.key}", which patch ${patch} does not replace`, e.keyAt, [`${patch} replaces: ${[...replaces.keys()].join(', ') || 'nothing'}`]);
  }
}

function readFormat(src: YamlSource, v: YValue, what: string): string {
  const f = readString(src, v, what);
  if (!IDENTIFIER.test(f)) throw src.error('KLP222', `format "${f}" in ${what} is not a name`, v.at, ['formats are names: letters, digits, _ and ., not starting with a digit']);
  return f;
}

/** `formats: { bar: new }`: the format of the values the patch's bar returns (data-semantics). */
function parseFormats(src: YamlSource, v: YValue, what: string, patch: string, replaces: ReadonlyMap<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of mapEntries(src, v, what).values()) {
    replacedBy(src, e, what, patch, replaces);
    out.set(e.key, readFormat(src, e.value, `${what}.${e.key}`));
  }
  return out;
}

/** `accepts: { baz: [orig, new] }`: the formats the patch's baz accepts as its argument (data-semantics). */
function parseAccepts(src: YamlSource, v: YValue, what: string, patch: string, replaces: ReadonlyMap<string, unknown>): Map<string, readonly string[]> {
  const out = new Map<string, readonly string[]>();
  for (const e of mapEntries(src, v, what).values()) {
    replacedBy(src, e, what, patch, replaces);
    const items = readList(src, e.value, `${what}.${e.key}`);
    if (items.length === 0) throw src.error('KLP222', `${what}.${e.key} accepts no format`, e.value.at, ['list at least one format, e.g. [orig, new]']);
    const formats: string[] = [];
    for (const item of items) {
      const f = readFormat(src, item, `an entry of ${what}.${e.key}`);
      if (formats.includes(f)) throw src.schema(`"${f}" is listed twice in ${what}.${e.key}`, item.at);
      formats.push(f);
    }
    out.set(e.key, formats);
  }
  return out;
}

/** `replaces: [f, g]` (same bodies) or `{ f: [steps], g: ~ }` (~: the original body). */
function parseReplaces(src: YamlSource, v: YValue, what: string, patch: string, functions: ReadonlyMap<string, FunctionDecl>, calls: CallSite[]): Map<string, readonly Step[]> {
  const out = new Map<string, readonly Step[]>();
  const declared = (fn: string, at: number): FunctionDecl => {
    const f = functions.get(fn);
    if (f === undefined) throw src.error('KLP204', `patch ${patch} replaces undeclared function "${fn}"`, at, ['declare it under functions']);
    return f;
  };
  if (isSeq(v.node)) {
    for (const item of readList(src, v, what)) {
      const fn = readString(src, item, `an entry of ${what}`);
      const f = declared(fn, item.at);
      if (out.has(fn)) throw src.schema(`"${fn}" is listed twice in ${what}`, item.at);
      out.set(fn, f.body);
    }
    return out;
  }
  if (!isMap(v.node)) throw src.schema(`${what} must be a list of function names or a map of function name to new body`, v.at);
  const names = new Set(functions.keys());
  for (const e of mapEntries(src, v, what).values()) {
    const f = declared(e.key, e.keyAt);
    if (isNull(e.value)) out.set(e.key, f.body);
    else if (isSeq(e.value.node)) out.set(e.key, parseBody(src, e.value, `the body of ${e.key} in patch ${patch}`, names, e.key, calls));
    else throw src.schema(`${what}.${e.key} must be a list of steps, or ~ for the original body`, e.value.at);
  }
  return out;
}

/** Functions some version of which forks, directly or through the functions it calls. */
function mayFork(functions: ReadonlyMap<string, FunctionDecl>, patches: readonly PatchDecl[]): Set<string> {
  const bodies = new Map<string, Step[][]>([...functions].map(([name, f]) => [name, [[...f.body]]]));
  for (const p of patches) for (const [fn, body] of p.replaces) bodies.get(fn)?.push([...body]);
  const forks = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [fn, versions] of bodies) {
      if (forks.has(fn)) continue;
      if (versions.some((b) => b.some((st) => st.kind === 'fork' || (st.kind === 'call' && forks.has(st.fn))))) {
        forks.add(fn);
        changed = true;
      }
    }
  }
  return forks;
}

function parseTasks(src: YamlSource, v: YValue, functions: ReadonlySet<string>, forking: ReadonlySet<string>): { tasks: TaskDecl[]; maxForked: number } {
  const tasks: TaskDecl[] = [];
  const seen = new Map<string, number>();
  let maxForked: number | undefined;
  for (const [i, item] of readList(src, v, 'tasks').entries()) {
    const what = `tasks[${i}]`;
    const entries = mapEntries(src, item, what);
    if (entries.has('max-forked')) {
      const m = readMap(src, item, what, ['max-forked'], ['max-forked'], ' for a max-forked entry');
      if (maxForked !== undefined) throw src.schema('only one max-forked entry is allowed in tasks', item.at);
      const n = m.get('max-forked')!.value;
      maxForked = readInt(src, n, 'max-forked', 0);
      if (maxForked > LIMITS.maxForked) {
        throw src.error('KLP206', `max-forked is ${maxForked}; at most ${LIMITS.maxForked} forked tasks are allowed`, n.at, [LIMIT_HINT]);
      }
      continue;
    }
    const kindEntry = entries.get('kind');
    if (kindEntry === undefined) readMap(src, item, what, ALL_TASK_KEYS, ['name', 'kind']);
    const kind = readChoice(src, kindEntry!.value, `${what}.kind`, TASK_KINDS, 'task kinds: user, kthread, idle');
    const m = readMap(src, item, what, KEYS[kind], kind === 'kthread' ? ['name', 'kind', 'loop'] : ['name', 'kind'], ` for a ${kind} task`);
    if (tasks.length === LIMITS.tasks) {
      const count = readList(src, v, 'tasks').filter((t) => !(isMap(t.node) && t.node.has('max-forked'))).length;
      throw overLimit(src, 'tasks', count, LIMITS.tasks, item.at, 'tasks');
    }
    const nameValue = m.get('name')!.value;
    const name = readName(src, nameValue, 'task name');
    checkUnique(src, seen, name, nameValue.at, 'task name');
    tasks.push(parseTask(src, m, what, name, kind, functions, forking));
  }
  for (const t of tasks) {
    const n = /^child(\d+)$/.exec(t.name);
    if (n !== null && Number(n[1]) >= 1 && Number(n[1]) <= (maxForked ?? 0)) {
      throw src.schema(`task name "${t.name}" is the name of a forked task (max-forked: ${maxForked})`, seen.get(t.name)!, ['forked tasks are named child1, child2, ...']);
    }
  }
  return { tasks, maxForked: maxForked ?? 0 };
}

function parseTask(src: YamlSource, m: Map<string, YEntry>, what: string, name: string, kind: TaskKind, functions: ReadonlySet<string>, forking: ReadonlySet<string>): TaskDecl {
  const syscalls: string[] = [];
  const sys = m.get('syscalls');
  if (sys !== undefined) {
    for (const item of readList(src, sys.value, `${what}.syscalls`)) {
      const fn = readString(src, item, `an entry of ${what}.syscalls`);
      if (!functions.has(fn)) throw src.error('KLP204', `task ${name} enters undeclared function "${fn}"`, item.at, ['system calls are functions declared under functions']);
      if (syscalls.includes(fn)) throw src.schema(`"${fn}" is listed twice in ${what}.syscalls`, item.at);
      syscalls.push(fn);
    }
  }
  let loop: Step[] = [];
  const loopEntry = m.get('loop');
  if (loopEntry !== undefined) {
    loop = parseBody(src, loopEntry.value, `the loop of ${name}`, functions, undefined, []);
    if (loop.length === 0) throw src.schema(`the loop of kthread ${name} must have at least one step`, loopEntry.value.at);
    readList(src, loopEntry.value, `the loop of ${name}`).forEach((item, i) => {
      const st = loop[i]!;
      if (st.kind !== 'fork' && !(st.kind === 'call' && forking.has(st.fn))) return;
      const how = st.kind === 'fork' ? 'its loop forks' : `its loop calls ${st.fn}, which forks`;
      throw src.error('KLP240', `kthread ${name} may not fork: ${how}`, item.at, [
        'a kthread\'s child is a kernel thread running a function of its own (kernel_thread()), which a scenario cannot describe yet',
        'let a user task fork instead',
      ]);
    });
  }
  const exits = m.has('exits') ? readBool(src, m.get('exits')!.value, `${what}.exits`) : false;
  return { name, kind, syscalls, loop, exits };
}

/**
 * Property names (aliases accepted), stored under their full names; the
 * entry `caller-consistency: [c, ...]` is a one-key map naming the callers.
 */
function parseCheck(src: YamlSource, v: YValue, functions: ReadonlySet<string>): { check: string[]; callers?: string[] } {
  const out: string[] = [];
  let callers: string[] | undefined;
  for (const item of readList(src, v, 'check')) {
    if (isMap(item.node)) {
      const m = mapEntries(src, item, 'an entry of check');
      const e = [...m.values()][0];
      if (m.size !== 1 || e === undefined || e.key !== CALLER_CONSISTENCY) {
        throw src.error('KLP221', `a map in check must be { ${CALLER_CONSISTENCY}: [caller, ...] }`, item.at, [PROPERTY_HINT]);
      }
      if (out.includes(CALLER_CONSISTENCY)) throw src.schema(`property "${CALLER_CONSISTENCY}" is listed twice in check`, item.at);
      callers = parseCallers(src, e.value, functions);
      out.push(CALLER_CONSISTENCY);
      continue;
    }
    const name = readString(src, item, 'an entry of check', [PROPERTY_HINT]);
    if (propertyNamed(name)?.name === CALLER_CONSISTENCY) {
      throw src.error('KLP221', `${CALLER_CONSISTENCY} needs the callers whose activations it checks`, item.at, [`write it as { ${CALLER_CONSISTENCY}: [c] }, c a declared function`]);
    }
    const p = anyPropertyNamed(name);
    if (p === undefined) throw src.error('KLP204', `unknown property "${name}"`, item.at, [PROPERTY_HINT, TEMPORAL_HINT]);
    if (out.includes(p.name)) throw src.schema(`property "${p.name}" is listed twice in check`, item.at);
    out.push(p.name);
  }
  return callers === undefined ? { check: out } : { check: out, callers };
}

const CALLER_CONSISTENCY = 'caller-consistency';

function parseCallers(src: YamlSource, v: YValue, functions: ReadonlySet<string>): string[] {
  const what = CALLER_CONSISTENCY;
  if (!isSeq(v.node)) throw src.error('KLP221', `${what} takes a list of callers, e.g. [c]`, v.at);
  const items = readList(src, v, what);
  if (items.length === 0) throw src.error('KLP221', `${what} names no caller`, v.at, ['name at least one declared function, e.g. [c]']);
  const out: string[] = [];
  for (const item of items) {
    const fn = readString(src, item, `an entry of ${what}`);
    if (!functions.has(fn)) throw src.error('KLP221', `${what} names undeclared function "${fn}"`, item.at, [`declared functions: ${[...functions].join(', ')}`]);
    if (out.includes(fn)) throw src.schema(`"${fn}" is listed twice in ${what}`, item.at);
    out.push(fn);
  }
  return out;
}

function parseExpect(src: YamlSource, v: YValue, what: string, check: readonly string[]): Expectation {
  const m = readMap(src, v, what, KEYS.expect, ['verdict']);
  const verdict = readChoice(src, m.get('verdict')!.value, `${what}.verdict`, ['safe', 'violated'] as const, 'a verdict is safe or violated');
  const out: { verdict: 'safe' | 'violated'; property?: string; traceLength?: number } = { verdict };
  const prop = m.get('property');
  if (prop !== undefined) {
    const name = readString(src, prop.value, `${what}.property`, [PROPERTY_HINT]);
    const p = anyPropertyNamed(name);
    if (p === undefined) throw src.error('KLP204', `unknown property "${name}"`, prop.value.at, [PROPERTY_HINT, TEMPORAL_HINT]);
    if (!check.includes(p.name)) throw src.error('KLP204', `${what}.property "${name}" is not among the properties in check`, prop.value.at, [`check: ${check.join(', ')}`]);
    out.property = p.name;
  }
  const len = m.get('trace-length');
  if (len !== undefined) out.traceLength = readInt(src, len.value, `${what}.trace-length`, 1);
  return out;
}

/** Variants: their rules are the top-level rules overridden by their own. */
function parseVariants(src: YamlSource, v: YValue, rules: RuleSettings, patches: ReadonlySet<string>, check: readonly string[], catalog: RuleCatalog): VariantDecl[] {
  const seen = new Map<string, number>();
  return readBoundedList(src, v, 'variants', LIMITS.variants, 'variants').map((item, i) => {
    const path = `variants[${i}]`;
    const m = readMap(src, item, path, KEYS.variant, ['name']);
    const nameValue = m.get('name')!.value;
    const name = readLine(src, nameValue, 'variant name');
    checkUnique(src, seen, name, nameValue.at, 'variant name');
    const own = m.get('rules');
    const variant: { name: string; rules: RuleSettings; admin?: AdminDecl; expect?: Expectation } = {
      name,
      rules: { ...rules, ...(own === undefined ? {} : parseRules(src, own.value, `${path}.rules`, catalog)) },
    };
    const admin = m.get('admin');
    if (admin !== undefined) variant.admin = parseAdmin(src, admin.value, `${path}.admin`, patches);
    const expect = m.get('expect');
    if (expect !== undefined) variant.expect = parseExpect(src, expect.value, `${path}.expect`, check);
    return variant;
  });
}
