// What the kernel of a scenario runs, from its file (docs/spec-format.md):
// `functions` (bodies, frameless), `patches` (what each replaces, with new
// bodies, immediate, atomic replace, formats and accepts) and `tasks` (user
// tasks, kthreads, idle tasks, max-forked), each checked as it is read and
// failing with one KlpError at file:line:col. Also the keys every map of the
// format allows (KEYS). loadScenario.ts reads the rest of the file.
import { isMap, isSeq } from 'yaml';
import type { FunctionDecl, PatchDecl, Step, TaskDecl, TaskKind } from '../livepatch/scenario.ts';
import { LIMIT_HINT, LIMITS, overLimit, readBoundedList } from './limits.ts';
import { parseBody, type CallSite } from './steps.ts';
import { IDENTIFIER, checkUnique, isNull, mapEntries, readBool, readChoice, readInt, readList, readMap, readName, readString, YamlSource, type YEntry, type YValue } from './yamlNodes.ts';

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

const TASK_KINDS: readonly TaskKind[] = ['user', 'kthread', 'idle'];
const ALL_TASK_KEYS = ['name', 'kind', 'syscalls', 'exits', 'loop'];

export function parseFunctions(src: YamlSource, v: YValue, calls: CallSite[]): Map<string, FunctionDecl> {
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

export function parsePatches(src: YamlSource, v: YValue, functions: ReadonlyMap<string, FunctionDecl>, calls: CallSite[]): PatchDecl[] {
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
export function mayFork(functions: ReadonlyMap<string, FunctionDecl>, patches: readonly PatchDecl[]): Set<string> {
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

export function parseTasks(src: YamlSource, v: YValue, functions: ReadonlySet<string>, forking: ReadonlySet<string>): { tasks: TaskDecl[]; maxForked: number } {
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
