// What every action needs to know about a scenario besides the state: the
// bodies of every function version, which routines are frameless, the patches
// and the rules in force. Built once per (scenario, rules).
import type { Rules } from './rules/index.ts';
import type { PatchDecl, Scenario, Step, TaskDecl } from './scenario.ts';
import { ORIG, type LivepatchState, type Version } from './state.ts';

/** Pseudo-function holding a kthread's loop body. */
export function loopFunction(task: string): string {
  return `${task}.loop`;
}

export interface Kernel {
  readonly scenario: Scenario;
  readonly rules: Rules;
  bodyOf(fn: string, version: Version): readonly Step[];
  frameless(fn: string): boolean;
  patch(name: string): PatchDecl;
  isLoop(fn: string): boolean;
  /** The declared task a task was forked from (itself when declared). */
  declOf(s: LivepatchState, task: string): TaskDecl;
  /** caller-consistency: whether calls from `caller` to `callee` are recorded (a named caller, a patched callee). */
  watchesCalls(caller: string, callee: string): boolean;
  /** Names of the slots for forked tasks. */
  readonly childNames: readonly string[];
}

export function makeKernel(scenario: Scenario, rules: Rules): Kernel {
  const loops = new Map<string, readonly Step[]>();
  for (const t of scenario.tasks) if (t.kind === 'kthread') loops.set(loopFunction(t.name), t.loop);
  const patches = new Map(scenario.patches.map((p) => [p.name, p]));
  const decls = new Map(scenario.tasks.map((t) => [t.name, t]));
  const callers = new Set(scenario.callers ?? []);
  const patched = new Set(scenario.patches.flatMap((p) => [...p.replaces.keys()]));
  const childNames = Array.from({ length: scenario.maxForked }, (_, i) => `child${i + 1}`);
  return {
    scenario,
    rules,
    childNames,
    bodyOf(fn, version) {
      const loop = loops.get(fn);
      if (loop !== undefined) return loop;
      if (version !== ORIG) {
        const body = patches.get(version)?.replaces.get(fn);
        if (body !== undefined) return body;
      }
      return scenario.functions.get(fn)?.body ?? [];
    },
    frameless: (fn) => scenario.functions.get(fn)?.frameless === true,
    patch: (name) => patches.get(name)!,
    isLoop: (fn) => loops.has(fn),
    watchesCalls: (caller, callee) => callers.has(caller) && patched.has(callee),
    declOf(s, task) {
      let name = task;
      for (let i = 0; i <= childNames.length && !decls.has(name); i++) name = s.tasks.get(name)?.parent ?? name;
      return decls.get(name)!;
    },
  };
}
