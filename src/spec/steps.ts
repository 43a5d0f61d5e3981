// The small step languages of scenario files: function bodies (`call f`,
// `x = call f`, `call g(x)`, `sleep ...`, `fork`, `preempt`, `cond_resched`), the administrator's
// sequence (`enable P`, ...) and anytime actions, and the check that no
// function calls itself through any version of any body (KLP205).
import type { AdminDecl, AdminStep, AnytimeAdmin, Step } from '../livepatch/scenario.ts';
import { isMap, isSeq } from 'yaml';
import { LIMITS, readBoundedList } from './limits.ts';
import { readList, readMap, readString, type YamlSource, type YValue } from './yamlNodes.ts';

const ID = '[A-Za-z_][A-Za-z0-9_.]*';

/** The forms a body step may take; spaces between the words are free. */
export const STEP_FORMS = {
  call: new RegExp(`^\\s*call\\s+(${ID})\\s*$`),
  bind: new RegExp(`^\\s*(${ID})\\s*=\\s*call\\s+(${ID})\\s*$`),
  callWith: new RegExp(`^\\s*call\\s+(${ID})\\s*\\(\\s*(${ID})\\s*\\)\\s*$`),
  sleep: /^\s*sleep(?:\s+(interruptible|uninterruptible|freezable))?\s*$/,
  fork: /^\s*fork\s*$/,
  preempt: /^\s*preempt\s*$/,
  condResched: /^\s*cond_resched\s*$/,
} as const;

/** All forms in one pattern: the `pattern` of a step in spec.schema.json (a test keeps them equal). */
export const STEP_PATTERN = `^\\s*(?:call\\s+${ID}(?:\\s*\\(\\s*${ID}\\s*\\))?|${ID}\\s*=\\s*call\\s+${ID}|sleep(?:\\s+(?:interruptible|uninterruptible|freezable))?|fork|preempt|cond_resched)\\s*$`;

export const STEP_HINTS = [
  'a step is one of: call f | x = call f | call g(x) | sleep | sleep interruptible | sleep uninterruptible | sleep freezable | fork | preempt | cond_resched',
];

/** An administrator sequence step (also its `pattern` in spec.schema.json). */
export const ADMIN_PATTERN = `^\\s*(?:(enable|disable)\\s+(${ID})|reverse|force)\\s*$`;
const ADMIN_STEP = new RegExp(ADMIN_PATTERN);
const ADMIN_HINT = 'a sequence step is one of: enable P | disable P | reverse | force';
export const ANYTIME: readonly AnytimeAdmin[] = ['reverse', 'force', 'signal'];
const ANYTIME_HINT = 'anytime actions: reverse, force, signal';

/** A call in some body, for the recursion check. */
export interface CallSite {
  readonly caller: string;
  readonly callee: string;
  readonly at: number;
}

/** Parses a step's text; undefined when it is none of the forms. */
export function parseStep(text: string): Step | undefined {
  let m: RegExpExecArray | null;
  if ((m = STEP_FORMS.call.exec(text)) !== null) return { kind: 'call', fn: m[1]! };
  if ((m = STEP_FORMS.bind.exec(text)) !== null) return { kind: 'call', fn: m[2]!, bind: m[1]! };
  if ((m = STEP_FORMS.callWith.exec(text)) !== null) return { kind: 'call', fn: m[1]!, arg: m[2]! };
  if ((m = STEP_FORMS.sleep.exec(text)) !== null) return { kind: 'sleep', how: m[1] === 'uninterruptible' || m[1] === 'freezable' ? m[1] : 'interruptible' };
  if (STEP_FORMS.fork.test(text)) return { kind: 'fork' };
  if (STEP_FORMS.preempt.test(text)) return { kind: 'preempt' };
  if (STEP_FORMS.condResched.test(text)) return { kind: 'cond_resched' };
  return undefined;
}

/**
 * Parses a body (a list of steps) of function `owner` (undefined for a
 * kthread loop): every callee must be declared, every argument bound earlier
 * in the same body. Records its calls in `calls`.
 */
export function parseBody(src: YamlSource, v: YValue, what: string, functions: ReadonlySet<string>, owner: string | undefined, calls: CallSite[]): Step[] {
  const bound = new Set<string>();
  const steps: Step[] = [];
  for (const item of readBoundedList(src, v, what, LIMITS.steps, 'steps')) {
    const text = readString(src, item, `a step of ${what}`, STEP_HINTS);
    const step = parseStep(text);
    if (step === undefined) throw src.schema(`"${text}" is not a step (in ${what})`, item.at, STEP_HINTS);
    if (step.kind === 'call') {
      if (!functions.has(step.fn)) throw src.error('KLP204', `call to undeclared function "${step.fn}"`, item.at, ['declare it under functions']);
      if (step.arg !== undefined && !bound.has(step.arg)) {
        throw src.error('KLP204', `"${step.arg}" is not bound earlier in ${what}`, item.at, [`bind it first: ${step.arg} = call f`]);
      }
      if (step.bind !== undefined) bound.add(step.bind);
      if (owner !== undefined) calls.push({ caller: owner, callee: step.fn, at: item.at });
    }
    steps.push(step);
  }
  return steps;
}

/** `admin`: a list (the sequence) or `{ sequence, anytime }`; patch names must be declared. */
export function parseAdmin(src: YamlSource, v: YValue, what: string, patches: ReadonlySet<string>): AdminDecl {
  if (isSeq(v.node)) return { sequence: parseSequence(src, v, what, patches), anytime: new Set() };
  if (!isMap(v.node)) throw src.schema(`${what} must be a list of steps or a map with sequence and anytime`, v.at, [ADMIN_HINT, ANYTIME_HINT]);
  const m = readMap(src, v, what, ['sequence', 'anytime']);
  const seq = m.get('sequence');
  const any = m.get('anytime');
  const sequence = seq === undefined ? [] : parseSequence(src, seq.value, `${what}.sequence`, patches);
  const anytime = new Set<AnytimeAdmin>();
  if (any !== undefined) {
    for (const item of readList(src, any.value, `${what}.anytime`)) {
      const s = readString(src, item, `an entry of ${what}.anytime`, [ANYTIME_HINT]);
      const found = ANYTIME.find((a) => a === s);
      if (found === undefined) throw src.schema(`"${s}" is not an anytime action`, item.at, [ANYTIME_HINT]);
      if (anytime.has(found)) throw src.schema(`anytime action "${s}" is listed twice`, item.at);
      anytime.add(found);
    }
  }
  return { sequence, anytime };
}

function parseSequence(src: YamlSource, v: YValue, what: string, patches: ReadonlySet<string>): AdminStep[] {
  return readBoundedList(src, v, what, LIMITS.adminSteps, 'steps').map((item) => {
    const text = readString(src, item, `a step of ${what}`, [ADMIN_HINT]);
    const m = ADMIN_STEP.exec(text);
    if (m === null) throw src.schema(`"${text}" is not an administrator step`, item.at, [ADMIN_HINT]);
    const [, verb, patch] = m;
    if (verb === undefined || patch === undefined) return { kind: text.trim() === 'force' ? 'force' : 'reverse' };
    if (!patches.has(patch)) {
      throw src.error('KLP204', `${verb} of undeclared patch "${patch}"`, item.at, [`declared patches: ${[...patches].join(', ') || 'none'}`]);
    }
    return verb === 'enable' ? { kind: 'enable', patch } : { kind: 'disable', patch };
  });
}

/**
 * Fails on the first cycle of calls, exploring functions in declaration order
 * and each function's calls in the order given (original body first, then the
 * new bodies of patches in load order). The error points at the closing call.
 */
export function checkRecursion(src: YamlSource, functions: readonly string[], calls: readonly CallSite[]): void {
  const out = new Map<string, CallSite[]>(functions.map((f) => [f, []]));
  for (const c of calls) out.get(c.caller)?.push(c);
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (fn: string): void => {
    path.push(fn);
    for (const c of out.get(fn) ?? []) {
      const i = path.indexOf(c.callee);
      if (i >= 0) {
        const cycle = [...path.slice(i), c.callee].join(' -> ');
        throw src.error('KLP205', `recursive call: ${cycle}`, c.at, ['a function may not call itself, directly or through others (its stack would be unbounded)']);
      }
      if (!done.has(c.callee)) visit(c.callee);
    }
    path.pop();
    done.add(fn);
  };
  for (const f of functions) if (!done.has(f)) visit(f);
}
