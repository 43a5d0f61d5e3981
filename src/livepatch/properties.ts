// The properties a scenario may check, from shared/livepatch-rules.md section
// 4, each with a description a reviewer understands and an explanation that
// names the task, the frame and the versions when it fails.
import { dispatch, entryIndex } from './dispatch.ts';
import { callerConsistency, dataSemantics } from './callerProperties.ts';
import type { Scenario } from './scenario.ts';
import { frameText, type LivepatchState, type Task } from './state.ts';

export interface Property {
  readonly name: string;
  /** The name used in shared/livepatch-rules.md. */
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

function* aliveTasks(s: LivepatchState): Generator<[string, Task]> {
  for (const [name, t] of s.tasks) if (t.status === 'alive') yield [name, t];
}

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
};

/** Switches by the stack check or at a switch point never leave a stale frame. */
const stackCheckSound: Property = {
  name: 'stack-check-sound',
  alias: 'S2/S10',
  description: 'a task switched without force holds no frame of a transition function in a version it no longer runs',
  violation: (s) => (s.unsoundSwitch === '' ? undefined : s.unsoundSwitch),
};

/** PS: during a transition a task's frames and calls of the patch's functions are all on one side. */
const patchSetCoherence: Property = {
  name: 'patch-set-coherence',
  alias: 'PS',
  description: 'during a transition no task mixes old and new versions of the transition patch\'s functions',
  violation(s) {
    const tp = s.transitionPatch;
    if (tp === '') return undefined;
    for (const [name, t] of aliveTasks(s)) {
      const sides = new Map<string, string>();
      for (const [fn, stack] of s.funcStack) {
        const i = entryIndex(stack, tp);
        if (i !== 0) continue; // not a transition function now, or another patch is on top
        const runs = dispatch(s, t.patchState, fn);
        const newVersion = dispatch(s, 'PATCHED', fn);
        sides.set(`calls to ${fn} go to ${fn}@${runs}`, runs === newVersion ? 'new' : 'old');
        for (const f of t.stack) if (f.fn === fn) sides.set(`frame ${frameText(f)}`, f.version === newVersion ? 'new' : 'old');
      }
      const kinds = new Set(sides.values());
      if (kinds.size > 1) {
        const old = [...sides].filter(([, v]) => v === 'old').map(([k]) => k);
        const neu = [...sides].filter(([, v]) => v === 'new').map(([k]) => k);
        return `${name} mixes ${tp}'s old side (${old.join(', ')}) with its new side (${neu.join(', ')})`;
      }
    }
    return undefined;
  },
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
};

/** INV-C: a transition completes only when every task (also one being forked) is at the target. */
const completionSafety: Property = {
  name: 'completion-safety',
  alias: 'INV-C',
  description: 'a transition completes only when every task, including one being forked, is at the target',
  violation: (s) => (s.completedWithout.size === 0 ? undefined : `the transition completed while ${s.completedWithout.join(', ')} had not switched`),
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
};

export const PROPERTIES: readonly Property[] = [framesAgree, stackCheckSound, patchSetCoherence, bookkeeping, pendingConsistency, completionSafety, freeSafety, callerConsistency, dataSemantics];

export function propertyNamed(name: string): Property | undefined {
  return PROPERTIES.find((p) => p.name === name || p.alias === name);
}
