// The properties a scenario may check (docs/properties.md defines each one),
// each with a description a reviewer understands and an explanation that
// names the task, the frame and the versions when it fails, and a premise: a
// state where the property has something to check (docs/livepatch-model.md,
// "Vacuity"). A property whose premise no reachable state satisfies passed
// vacuously, and the run says so (KLP503).
import { dispatch, entryIndex } from './dispatch.ts';
import { callerConsistency, dataSemantics } from './callerProperties.ts';
import type { Scenario } from './scenario.ts';
import { frameText, type LivepatchState, type Task, type Version } from './state.ts';

export interface Property {
  readonly name: string;
  /** The short name (I1, PS, INV-T, ...); docs/properties.md says where each comes from. */
  readonly alias: string;
  readonly description: string;
  /** Undefined when the property holds; otherwise why not. */
  violation(s: LivepatchState): string | undefined;
  /**
   * Optional: a state where the property has something to check (e.g. a task
   * holds a frame of a patched function). If no reachable state satisfies it,
   * "no violation" is vacuous and the run warns (KLP503).
   */
  premise?(s: LivepatchState): boolean;
  /** One line saying what the premise is, for the warning. */
  premiseText?: string;
  /**
   * Optional: the property as a given scenario declares it (callers named in
   * check, formats of patches). Unbound, such a property checks nothing.
   */
  bind?(scenario: Scenario): Property;
}

/**
 * The live tasks of the tasks Map last asked about (every property of a state asks for them in turn; the
 * Map is immutable, so its list holds as long as it is the one asked about). Properties are only asked
 * about finished states, never about one still inside `withMutations`.
 */
let lastTasks: unknown;
let lastAlive: readonly (readonly [string, Task])[] = [];

/** The live tasks (name, task), in the tasks Map's order. */
function aliveTasks(s: LivepatchState): readonly (readonly [string, Task])[] {
  const tasks = s.tasks;
  if (tasks !== lastTasks) {
    const alive: (readonly [string, Task])[] = [];
    tasks.forEach((t, name) => {
      if (t.status === 'alive') alive.push([name, t]);
    });
    lastTasks = tasks;
    lastAlive = alive;
  }
  return lastAlive;
}

/** Some live task holds a frame of a function that `patched` says is patched. */
function someFrame(s: LivepatchState, patched: (fn: string) => boolean, tasks: (t: Task) => boolean = () => true): boolean {
  for (const [, t] of aliveTasks(s)) {
    if (!tasks(t)) continue;
    for (const f of t.stack) if (patched(f.fn)) return true;
  }
  return false;
}

/** A function with a func stack (some patch's entry is on it). */
function hasFuncStack(s: LivepatchState, fn: string): boolean {
  return (s.funcStack.get(fn)?.size ?? 0) > 0;
}

/** A transition function: the transition patch has an entry on its func stack. */
function isTransitionFunction(s: LivepatchState, fn: string): boolean {
  return s.transitionPatch !== '' && entryIndex(s.funcStack.get(fn), s.transitionPatch) >= 0;
}

const inTransition = (s: LivepatchState): boolean => s.transitionPatch !== '';

/** I1: every live frame runs the version its task would dispatch to now. */
const framesAgree: Property = {
  name: 'frames-agree-with-dispatch',
  alias: 'I1',
  description: 'every frame on a task\'s stack is of the version that task now dispatches to (klp_ftrace_handler)',
  violation(s) {
    for (const [name, t] of aliveTasks(s)) {
      for (const f of t.stack) {
        const d = dispatch(s, t.patchState, f.fn);
        if (d !== f.version) return `${name} (${t.patchState}) has a frame of ${frameText(f)} but now dispatches ${f.fn} to ${f.fn}@${d}`;
      }
    }
    return undefined;
  },
  premise: (s) => someFrame(s, (fn) => hasFuncStack(s, fn)),
  premiseText: 'some task holds a frame of a function that has a func stack',
};

/** Switches by the stack check or at a switch point never leave a stale frame. */
const stackCheckSound: Property = {
  name: 'stack-check-sound',
  alias: 'S2/S10',
  description: 'a task switched without force holds no frame of a transition function in a version it no longer runs',
  violation: (s) => (s.unsoundSwitch === '' ? undefined : s.unsoundSwitch),
  // A state, not a ghost: a task already switched to the target holds a frame
  // of a transition function. Right after a switch that kept such a frame this
  // holds; it also holds when the frame was pushed after the switch (an
  // over-approximation, documented in docs/livepatch-model.md).
  premise: (s) => inTransition(s) && someFrame(s, (fn) => isTransitionFunction(s, fn), (t) => !t.pending && t.patchState === s.targetState),
  premiseText: 'during a transition, a task already switched holds a frame of a transition function',
};

/**
 * For each function of which the transition patch `tp` is on top: where the task's calls of it go, and
 * each of its frames, marked as on the patch's old or new side (the text that names them is the key).
 */
function sidesOf(s: LivepatchState, t: Task, tp: string): Map<string, string> {
  const sides = new Map<string, string>();
  for (const [fn, stack] of s.funcStack) {
    const i = entryIndex(stack, tp);
    if (i !== 0) continue; // not a transition function now, or another patch is on top
    const runs = dispatch(s, t.patchState, fn);
    const newVersion = dispatch(s, 'PATCHED', fn);
    sides.set(`calls to ${fn} go to ${fn}@${runs}`, runs === newVersion ? 'new' : 'old');
    for (const f of t.stack) if (f.fn === fn) sides.set(`frame ${frameText(f)}`, f.version === newVersion ? 'new' : 'old');
  }
  return sides;
}

/** A function of which the transition patch is on top, with the version a PATCHED task runs. */
interface TransitionTop {
  readonly fn: string;
  readonly newVersion: Version;
}

/** The functions of which the transition patch `tp` is on top. */
function transitionTops(s: LivepatchState, tp: string): TransitionTop[] {
  const tops: TransitionTop[] = [];
  for (const [fn, stack] of s.funcStack) if (entryIndex(stack, tp) === 0) tops.push({ fn, newVersion: dispatch(s, 'PATCHED', fn) });
  return tops;
}

/**
 * True when sidesOf(s, t, tp) holds both sides: the same walk, without the texts (checked on every state;
 * the texts are made only for the message). Two keys alike are two frames of one function and version,
 * so on one side: keeping one of them changes no side.
 */
function mixesSides(s: LivepatchState, t: Task, tops: readonly TransitionTop[]): boolean {
  let oldSide = false;
  let newSide = false;
  const stack = t.stack;
  for (const { fn, newVersion } of tops) {
    if (dispatch(s, t.patchState, fn) === newVersion) newSide = true;
    else oldSide = true;
    for (let i = 0; i < stack.size; i++) {
      const f = stack.get(i)!;
      if (f.fn !== fn) continue;
      if (f.version === newVersion) newSide = true;
      else oldSide = true;
    }
    if (oldSide && newSide) return true;
  }
  return false;
}

/** PS: during a transition a task's frames and calls of the patch's functions are all on one side. */
const patchSetCoherence: Property = {
  name: 'patch-set-coherence',
  alias: 'PS',
  description: 'during a transition no task mixes old and new versions of the transition patch\'s functions',
  violation(s) {
    const tp = s.transitionPatch;
    if (tp === '') return undefined;
    const tops = transitionTops(s, tp);
    for (const [name, t] of aliveTasks(s)) {
      if (!mixesSides(s, t, tops)) continue;
      const sides = sidesOf(s, t, tp);
      const old = [...sides].filter(([, v]) => v === 'old').map(([k]) => k);
      const neu = [...sides].filter(([, v]) => v === 'new').map(([k]) => k);
      return `${name} mixes ${tp}'s old side (${old.join(', ')}) with its new side (${neu.join(', ')})`;
    }
    return undefined;
  },
  premise: (s) => inTransition(s) && someFrame(s, (fn) => isTransitionFunction(s, fn)),
  premiseText: 'a transition is in progress and some task holds a frame of a transition function',
};

/** INV-T: the transition bookkeeping agrees with itself. */
const bookkeeping: Property = {
  name: 'transition-bookkeeping',
  alias: 'INV-T',
  description: 'no transition <=> target UNDEFINED; then every task is UNDEFINED and not pending; during one every task is UNPATCHED or PATCHED',
  violation(s) {
    const none = s.transitionPatch === '';
    if (none !== (s.targetState === 'UNDEFINED')) return `klp_transition_patch is ${none ? 'NULL' : s.transitionPatch} but klp_target_state is ${s.targetState}`;
    for (const [name, t] of aliveTasks(s)) {
      if (none && (t.patchState !== 'UNDEFINED' || t.pending)) return `no transition, but ${name} is ${t.patchState}${t.pending ? ' and pending' : ''}`;
      if (!none && t.patchState === 'UNDEFINED') return `${name} is UNDEFINED during the transition of ${s.transitionPatch}`;
    }
    return undefined;
  },
  premise: inTransition,
  premiseText: 'a transition is in progress',
};

/** INV-P: the pending flag says exactly "not yet at the target". */
const pendingConsistency: Property = {
  name: 'pending-consistency',
  alias: 'INV-P',
  description: 'a task is pending (TIF_PATCH_PENDING) exactly when its patch state differs from the target',
  violation(s) {
    for (const [name, t] of aliveTasks(s)) {
      if (t.pending && t.patchState === s.targetState) return `${name} is pending but already ${t.patchState} (the target)`;
      if (s.transitionPatch !== '' && !t.pending && t.patchState !== s.targetState) {
        return `${name} is ${t.patchState}, not the target ${s.targetState}, but not pending: no kernel exit will switch it`;
      }
    }
    return undefined;
  },
  premise: inTransition,
  premiseText: 'a transition is in progress',
};

/** INV-C: a transition completes only when every task (also one being forked) is at the target. */
const completionSafety: Property = {
  name: 'completion-safety',
  alias: 'INV-C',
  description: 'a transition completes only when every task, including one being forked, is at the target',
  violation: (s) => (s.completedWithout.size === 0 ? undefined : `the transition completed while ${s.completedWithout.join(', ')} had not switched`),
  // A patch leaves 'loaded' only through klp_enable_patch(), which starts a
  // transition, and klp_transition_patch becomes NULL again only when one
  // completes: so this state says some transition has completed.
  premise: (s) => !inTransition(s) && s.patches.some((p) => p.status !== 'loaded'),
  premiseText: 'a transition completes',
};

/** INV-F: a patch module is freed only when no task has a frame of its code. */
const freeSafety: Property = {
  name: 'free-safety',
  alias: 'INV-F',
  description: 'no task has a frame of a patch whose module has been freed',
  violation(s) {
    for (const [patch, p] of s.patches) {
      if (p.status !== 'freed') continue;
      for (const [name, t] of aliveTasks(s)) {
        const f = t.stack.find((x) => x.version === patch);
        if (f !== undefined) return `${patch} was freed but ${name} still has a frame of ${frameText(f)}`;
      }
    }
    return undefined;
  },
  premise: (s) => s.patches.some((p) => p.status === 'freed'),
  premiseText: 'a patch module is freed',
};

export const PROPERTIES: readonly Property[] = [framesAgree, stackCheckSound, patchSetCoherence, bookkeeping, pendingConsistency, completionSafety, freeSafety, callerConsistency, dataSemantics];

export function propertyNamed(name: string): Property | undefined {
  return PROPERTIES.find((p) => p.name === name || p.alias === name);
}
