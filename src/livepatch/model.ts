// A scenario under a set of rules, as an engine spec: the initial state, every
// action named after the kernel function it mirrors, with the task, function
// or patch it acts on as parameters (so a trace step reads
// `klp_ftrace_handler("T1", "f")`), and the checked properties as invariants.
import { List, Map as IMap } from 'immutable';
import { KlpError } from '../engine/errors.ts';
import { defineSpec, type ActionDefinition, type InvariantDefinition, type Spec } from '../engine/spec.ts';
import { makeKernel, loopFunction, type Kernel } from './kernel.ts';
import { withPluginContext } from './pluginGuard.ts';
import { propertyNamed } from './properties.ts';
import { resolveRules } from './rules/index.ts';
import type { AdminDecl, RuleSettings, Scenario } from './scenario.ts';
import { Frame, LivepatchState, Patch, Task } from './state.ts';
import * as task from './taskActions.ts';
import * as transition from './transition.ts';

export type LivepatchSpec = Spec<LivepatchState, Record<string, never>>;

export interface ModelOptions {
  /** Rule settings that override the scenario's (`--rule fork=goal`). */
  rules?: RuleSettings;
  /** Replaces the scenario's administrator (a variant may). */
  admin?: AdminDecl;
}

export function initialState(k: Kernel): LivepatchState {
  const tasks = IMap<string, Task>().withMutations((m) => {
    for (const t of k.scenario.tasks) {
      if (t.kind === 'user') m.set(t.name, Task());
      else if (t.kind === 'kthread') m.set(t.name, Task({ mode: 'kernel', stack: List([Frame({ fn: loopFunction(t.name) })]) }));
      else m.set(t.name, Task({ mode: 'kernel' }));
    }
    for (const c of k.childNames) m.set(c, Task({ status: 'unborn' }));
  });
  const patches = IMap(k.scenario.patches.map((p) => [p.name, Patch()]));
  return LivepatchState({ tasks, patches });
}

export function livepatchSpec(scenario: Scenario, options: ModelOptions = {}): LivepatchSpec {
  const rules = resolveRules({ ...scenario.rules, ...(options.rules ?? {}) }, scenario.catalog);
  const k = makeKernel(options.admin === undefined ? scenario : { ...scenario, admin: options.admin }, rules);
  const taskNames = [...scenario.tasks.map((t) => t.name), ...k.childNames];
  const functions = [...scenario.functions.keys()];
  const syscalls = [...new Set(scenario.tasks.flatMap((t) => t.syscalls))];
  const patches = scenario.patches.map((p) => p.name);
  type A = ActionDefinition<LivepatchState, Record<string, never>>;
  const perTask = (f: (s: LivepatchState, t: string) => LivepatchState | undefined): A => ({
    params: { t: taskNames },
    next: (s, p: { t: string }) => f(s, p.t),
  });
  const actions: { [name: string]: A } = {
    syscall: { params: { t: taskNames, sys: syscalls }, next: (s, p: { t: string; sys: string }) => task.syscall(k, s, p.t, p.sys) },
    klp_ftrace_handler: { params: { t: taskNames, fn: functions }, next: (s, p: { t: string; fn: string }) => task.call(k, s, p.t, p.fn) },
    ret: perTask((s, t) => task.ret(k, s, t)),
    schedule: perTask((s, t) => task.schedule(k, s, t)),
    try_to_wake_up: perTask((s, t) => task.tryToWakeUp(s, t)),
    copy_process: perTask((s, t) => task.copyProcess(k, s, t)),
    dup_task_struct: perTask((s, t) => task.dupTaskStruct(k, s, t)),
    klp_copy_process: perTask((s, t) => task.klpCopyProcess(k, s, t)),
    exit_to_user_mode: perTask((s, t) => task.exitToUserMode(k, s, t)),
    do_idle: perTask((s, t) => task.doIdle(k, s, t)),
    do_exit: perTask((s, t) => task.doExit(k, s, t)),
    klp_try_switch_task: perTask((s, t) => transition.klpTrySwitchTask(k, s, t)),
    klp_send_signals: perTask((s, t) => transition.klpSendSignals(k, s, t)),
    klp_enable_patch: { params: { patch: patches }, next: (s, p: { patch: string }) => transition.klpEnablePatch(k, s, p.patch) },
    klp_disable_patch: { params: { patch: patches }, next: (s, p: { patch: string }) => transition.klpDisablePatch(k, s, p.patch) },
    klp_reverse_transition: (s) => transition.klpReverseTransition(k, s),
    klp_force_transition: (s) => transition.klpForceTransition(k, s),
    klp_complete_transition: (s) => transition.klpCompleteTransition(k, s),
  };
  for (const name of inapplicableActions(k)) delete actions[name];
  // Plug-in faults name the action instance and the state (pluginGuard.ts).
  if (Object.keys(k.rules.fromPlugins).length > 0) for (const [name, a] of Object.entries(actions)) actions[name] = withPluginContext(name, a);
  const invariants: { [name: string]: InvariantDefinition<LivepatchState, Record<string, never>> } = {};
  for (const name of scenario.check) {
    const prop = propertyNamed(name);
    if (prop === undefined) throw new KlpError('KLP204', `unknown property ${name}`);
    invariants[prop.name] = { description: prop.description, holds: (s) => prop.violation(s) === undefined, explain: (s) => prop.violation(s) ?? '' };
  }
  return defineSpec({
    name: scenario.title,
    constants: {},
    init: () => [initialState(k)],
    actions,
    invariants,
    // The end of a scenario (every task idle in user mode, the admin done) has no successor by design.
    checkDeadlock: false,
  });
}

/**
 * Actions that cannot fire in this scenario by construction (no idle task, no
 * fork step, an atomic fork rule, nothing in the admin that reverses, ...).
 * They are left out, so that "actions that never fired" in a report names
 * only actions the scenario's author meant to happen.
 */
function inapplicableActions(k: Kernel): string[] {
  const sc = k.scenario;
  const bodies = [...sc.functions.values()].map((f) => f.body).concat(sc.patches.flatMap((p) => [...p.replaces.values()]), sc.tasks.map((t) => t.loop));
  const forks = sc.maxForked > 0 && bodies.some((b) => b.some((st) => st.kind === 'fork'));
  const sleeps = bodies.some((b) => b.some((st) => st.kind === 'sleep'));
  const kinds = new Set(sc.tasks.map((t) => t.kind));
  const admin = new Set(sc.admin.sequence.map((a) => a.kind));
  const out: string[] = [];
  if (!forks || !k.rules.fork.atomic) out.push('copy_process');
  if (!forks || k.rules.fork.atomic) out.push('dup_task_struct', 'klp_copy_process');
  if (!kinds.has('idle')) out.push('do_idle');
  if (!sc.tasks.some((t) => t.exits)) out.push('do_exit');
  if (!sleeps) out.push('schedule', 'try_to_wake_up');
  if (!sc.admin.anytime.has('signal') || !sleeps) out.push('klp_send_signals');
  if (!sc.admin.anytime.has('reverse') && !admin.has('reverse') && !admin.has('disable')) out.push('klp_reverse_transition');
  if (!sc.admin.anytime.has('force') && !admin.has('force')) out.push('klp_force_transition');
  if (!admin.has('disable')) out.push('klp_disable_patch');
  if (!kinds.has('user')) out.push('syscall', 'exit_to_user_mode');
  return out;
}
