// The two caller-level properties of issue 8, declared in a spec file
// without code: `caller-consistency` (one activation of a named caller calls
// one version of each patched function: the loop `bar(i); something_else(i)`
// of scenario S4) and `data-semantics` (a value a version produces is consumed
// only by a version that accepts its format: `foo = bar(); something_else();
// baz(foo)` of S5). Both read ghosts the task actions keep in Frame: `calls`
// (named callers only) and `arg` ("f@version" that produced the argument).
import type { Property } from './properties.ts';
import type { Scenario } from './scenario.ts';
import { ORIG, frameText, type LivepatchState, type Task, type Version } from './state.ts';

/** The format every original version produces and accepts. */
export const ORIG_FORMAT = 'orig';

function* liveFrames(s: LivepatchState): Generator<[string, Task, number]> {
  for (const [name, t] of s.tasks) if (t.status === 'alive' || t.status === 'forking') for (let i = 0; i < t.stack.size; i++) yield [name, t, i];
}

/** caller-consistency bound to the callers a scenario names. */
function callerConsistencyFor(callers: ReadonlySet<string>): Property {
  return {
    ...callerConsistency,
    violation(s) {
      for (const [name, t, i] of liveFrames(s)) {
        const f = t.stack.get(i)!;
        if (!callers.has(f.fn)) continue;
        for (const [fn, versions] of f.calls) {
          if (!versions.includes(',')) continue;
          const seq = versions.split(',').map((v) => `${fn}@${v}`);
          return `${name}'s activation of ${frameText(f)} called ${seq.join(' and then ')}: one invocation of ${f.fn} mixed versions of ${fn}`;
        }
      }
      return undefined;
    },
    premise(s) {
      for (const [, t, i] of liveFrames(s)) {
        const f = t.stack.get(i)!;
        if (callers.has(f.fn) && f.calls.some((_v, fn) => s.funcStack.has(fn))) return true;
      }
      return false;
    },
  };
}

export const callerConsistency: Property = {
  name: 'caller-consistency',
  alias: 'S4',
  description: 'within one activation of a caller named in check (caller-consistency: [c]), every call to a patched function goes to one version',
  premiseText: 'an activation of a named caller calls a function while a patch of that function is on its func stack',
  violation: () => undefined,
  bind: (sc) => callerConsistencyFor(new Set(sc.callers ?? [])),
};

/** The format `fn@version` returns / the formats it accepts: declared by its patch, else inherited from the latest earlier patch of fn, else orig. */
export function formatTables(sc: Scenario): { produces(fn: string, v: Version): string; accepts(fn: string, v: Version): readonly string[] } {
  const upTo = (v: Version): Scenario['patches'] => {
    const i = sc.patches.findIndex((p) => p.name === v);
    return i < 0 ? [] : sc.patches.slice(0, i + 1);
  };
  return {
    produces(fn, v) {
      let out = ORIG_FORMAT;
      if (v !== ORIG) for (const p of upTo(v)) out = p.replaces.has(fn) ? (p.formats?.get(fn) ?? out) : out;
      return out;
    },
    accepts(fn, v) {
      let out: readonly string[] = [ORIG_FORMAT];
      if (v !== ORIG) for (const p of upTo(v)) out = p.replaces.has(fn) ? (p.accepts?.get(fn) ?? out) : out;
      return out;
    },
  };
}

function dataSemanticsFor(sc: Scenario): Property {
  const tables = formatTables(sc);
  return {
    ...dataSemantics,
    violation(s) {
      for (const [name, t, i] of liveFrames(s)) {
        const f = t.stack.get(i)!;
        if (f.arg === '') continue;
        const [producer = '', version = ORIG] = f.arg.split('@');
        const format = tables.produces(producer, version);
        const accepted = tables.accepts(f.fn, f.version);
        if (!accepted.includes(format)) {
          return `${name}: ${frameText(f)} consumes a value in format "${format}" produced by ${f.arg}, but ${frameText(f)} accepts only ${accepted.map((x) => `"${x}"`).join(', ')}`;
        }
      }
      return undefined;
    },
    premise(s) {
      for (const [, t, i] of liveFrames(s)) {
        const f = t.stack.get(i)!;
        if (f.arg !== '' && (s.funcStack.has(f.fn) || s.funcStack.has(f.arg.split('@')[0]!))) return true;
      }
      return false;
    },
  };
}

export const dataSemantics: Property = {
  name: 'data-semantics',
  alias: 'S5',
  description: 'a value returned by one version of a function (x = call f) is passed (call g(x)) only to a version of g that accepts its format (patch formats:/accepts:)',
  premiseText: 'a value produced by one call is passed to another while a patch of the producer or the consumer is on its func stack',
  violation: () => undefined,
  bind: dataSemanticsFor,
};
