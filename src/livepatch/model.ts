// A scenario under a set of rules, as an engine spec: the initial state, every
// action named after the kernel function it mirrors, with the task, function
// or patch it acts on as parameters (so a trace step reads
// `klp_ftrace_handler("T1", "f")`), the checked properties as invariants with
// their premises, and the cover goals a scenario implies (coverGoals).
import { List, Map as IMap } from 'immutable';
import { KlpError } from '../engine/errors.ts';
import type { CheckWarning } from '../engine/result.ts';
import { defineSpec, type ActionDefinition, type CoverDefinition, type InvariantDefinition, type Spec } from '../engine/spec.ts';
import { makeKernel, loopFunction, type Kernel } from './kernel.ts';
import { withPluginContext } from './pluginGuard.ts';
import { notTypeCheckedWarning } from './pluginLoader.ts';
import { propertyNamed } from './properties.ts';
import { resolveRules } from './rules/index.ts';
import type { AdminDecl, AdminStep, RuleSettings, Scenario } from './scenario.ts';
import { Frame, LivepatchState, Patch, Task } from './state.ts';
import * as task from './taskActions.ts';
import { canonicalTasks, symmetryGroups } from './symmetry.ts';
import { partialOrderOf } from './partialOrder.ts';
import * as transition from './transition.ts';
import * as global from './globalSwitch.ts';
import * as freezer from './freezer.ts';
import * as kgraft from './kgraft.ts';
import { fairnessOf, temporalDefinition, temporalPropertyNamed, type Assumption, type TemporalProperty } from './liveness.ts';

export type LivepatchSpec = Spec<LivepatchState, Record<string, never>>;

export interface ModelOptions {
  /** Rule settings that override the scenario's (`--rule fork=goal`). */
  rules?: RuleSettings;
  /** Replaces the scenario's administrator (a variant may). */
  admin?: AdminDecl;
  /** Symmetry reduction over interchangeable tasks and child slots (symmetry.ts). */
  symmetry?: boolean;
  /** Partial-order reduction over task-local steps (partialOrder.ts). */
  partialOrder?: boolean;
  /** Liveness (src/livepatch/liveness.ts): temporal properties by name, under these assumptions. */
  liveness?: { readonly properties: readonly string[]; readonly assume: readonly Assumption[] };
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
    preempt_schedule_irq: perTask((s, t) => task.preemptScheduleIrq(k, s, t)),
    preempt_point: perTask((s, t) => task.preemptPoint(k, s, t)),
    finish_task_switch: perTask((s, t) => task.finishTaskSwitch(s, t)),
    cond_resched: perTask((s, t) => task.condResched(k, s, t)),
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
    kpatch_apply_patch: { params: { patch: patches }, next: (s, p: { patch: string }) => global.kpatchStopMachine(k, s, p.patch, 'enable') },
    kpatch_remove_patch: { params: { patch: patches }, next: (s, p: { patch: string }) => global.kpatchStopMachine(k, s, p.patch, 'disable') },
    freeze_processes: { params: { patch: patches }, next: (s, p: { patch: string }) => freezer.freezeProcesses(k, s, p.patch) },
    try_to_freeze: perTask((s, t) => freezer.tryToFreeze(k, s, t)),
    stop_machine: { params: { patch: patches }, next: (s, p: { patch: string }) => freezer.stopMachine(k, s, p.patch) },
    kgr_modify_kernel: { params: { patch: patches }, next: (s, p: { patch: string }) => kgraft.kgrModifyKernel(k, s, p.patch) },
    kgr_task_safe: perTask((s, t) => kgraft.kgrTaskSafe(k, s, t)),
    kgr_send_fake_signal: perTask((s, t) => kgraft.kgrSendFakeSignal(k, s, t)),
    kgr_unmark_processes: (s) => kgraft.kgrUnmarkProcesses(k, s),
    kgr_finalize: (s) => kgraft.kgrFinalize(k, s),
  };
  checkModelFits(k);
  for (const name of [...inapplicableActions(k), ...otherModelsActions(k)]) delete actions[name];
  // park-all: during a freeze a frozen task, or one at its freezing point, takes no shared task step (freezer.ts).
  if (k.rules.model.kind === 'park-all') {
    for (const name of SHARED_TASK_ACTIONS) {
      const a = actions[name];
      if (a === undefined || typeof a === 'function') continue;
      const inner = a;
      actions[name] = { params: a.params, next: (s, p, c) => (freezer.held(k, s, String(p.t)) ? undefined : inner.next(s, p, c)) };
    }
  }
  // Plug-in faults name the action instance and the state (pluginGuard.ts).
  if (Object.keys(k.rules.fromPlugins).length > 0) for (const [name, a] of Object.entries(actions)) actions[name] = withPluginContext(name, a);
  const invariants: { [name: string]: InvariantDefinition<LivepatchState, Record<string, never>> } = {};
  for (const name of scenario.check) {
    if (temporalPropertyNamed(name) !== undefined) continue; // checked by the liveness pass, below
    const declared = propertyNamed(name);
    if (declared === undefined) throw new KlpError('KLP204', `unknown property ${name}`);
    const prop = declared.bind?.(k.scenario) ?? declared;
    invariants[prop.name] = {
      description: prop.description,
      holds: (s) => prop.violation(s) === undefined,
      explain: (s) => prop.violation(s) ?? '',
      ...(prop.premise !== undefined ? { premise: prop.premise.bind(prop) } : {}),
      ...(prop.premiseText !== undefined ? { premiseText: prop.premiseText } : {}),
    };
  }
  const groups = symmetryGroups(k);
  const symmetric = options.symmetry === true && (groups.length > 0 || k.childNames.length > 1);
  return defineSpec({
    ...(symmetric ? { symmetry: (s: LivepatchState) => canonicalTasks(k, groups, s) } : {}),
    ...(options.partialOrder === true ? { partialOrder: partialOrderOf(k, taskNames) } : {}),
    name: scenario.title,
    constants: {},
    init: () => [initialState(k)],
    actions,
    invariants,
    covers: coverGoals(k, scenario.admin),
    // The end of a scenario (every task idle in user mode, the admin done) has no successor by design.
    checkDeadlock: false,
    ...temporalPart(k, options.liveness ?? scenarioLiveness(scenario), Object.keys(actions)),
    knownWarnings: notTypeChecked(k),
  });
}

/** KLP507 for each plug-in this run's rules use that was loaded without a type check. */
function notTypeChecked(k: Kernel): CheckWarning[] {
  const unchecked = new Set(k.scenario.pluginsNotTypeChecked ?? []);
  const used = [...new Set(Object.values(k.rules.fromPlugins))].filter((file) => unchecked.has(file));
  return used.map(notTypeCheckedWarning);
}

type Cover = CoverDefinition<LivepatchState, Record<string, never>>;

/**
 * What a scenario means to happen, as reachability goals; a goal no state
 * reaches is a warning (KLP502), because the properties then say nothing
 * about it (docs/livepatch-model.md, "Vacuity"):
 * - each step of the administrator's sequence is done (adminPc passes it);
 * - each patch the sequence enables: its transition starts (the patch leaves
 *   'loaded'), and it completes, in either direction (the patch is no longer
 *   'loaded' and no longer klp_transition_patch);
 * - each function a patch the sequence enables replaces is called while
 *   patched: a live task holds a frame of it while its func stack is
 *   non-empty (a patch the scenario declares but this run never enables,
 *   e.g. one meant for another variant, implies nothing);
 * - each patch the scenario declares that no admin sequence of the file
 *   (`fileAdmin`, the scenario's own, or any variant's) enables: it leaves
 *   'loaded' in some state, else KLP505 "patch P is declared but never
 *   enabled" (every property about its transition was checked over nothing).
 */
export function coverGoals(k: Kernel, fileAdmin: AdminDecl = k.scenario.admin): { [name: string]: Cover } {
  const covers: { [name: string]: Cover } = {};
  k.scenario.admin.sequence.forEach((step, i) => {
    covers[`admin-step-${i + 1}`] = { description: `admin step ${i + 1} (${adminText(step)})`, holds: (s) => s.adminPc > i };
  });
  const enabled = [...new Set(k.scenario.admin.sequence.flatMap((a) => (a.kind === 'enable' ? [a.patch] : [])))];
  for (const patch of enabled) {
    covers[`start-${patch}`] = { description: `the start of ${patch}'s transition`, holds: (s) => s.patches.get(patch)?.status !== 'loaded' };
    covers[`complete-${patch}`] = {
      description: `the completion of ${patch}'s transition`,
      holds: (s) => s.patches.get(patch)?.status !== 'loaded' && s.transitionPatch !== patch,
    };
  }
  const admins = [fileAdmin, ...k.scenario.variants.flatMap((v) => (v.admin === undefined ? [] : [v.admin]))];
  const anywhere = new Set(admins.flatMap((a) => a.sequence.flatMap((st) => (st.kind === 'enable' ? [st.patch] : []))));
  for (const { name: patch } of k.scenario.patches) {
    if (enabled.includes(patch) || anywhere.has(patch)) continue;
    covers[`enabled-${patch}`] = {
      description: `the enabling of ${patch}`,
      holds: (s) => s.patches.get(patch)?.status !== 'loaded',
      unreached: { code: 'KLP505', text: (where) => `patch ${patch} is declared but never enabled${where}: no admin step enables it, so no property says anything about its transition` },
    };
  }
  const replaced = [...new Set(enabled.flatMap((p) => [...k.patch(p).replaces.keys()]))];
  for (const fn of replaced) {
    covers[`called-${fn}`] = {
      description: `a call of ${fn} while a patch of it is on its func stack`,
      holds: (s) => (s.funcStack.get(fn)?.size ?? 0) > 0 && s.tasks.some((t) => t.status === 'alive' && t.stack.some((f) => f.fn === fn)),
    };
  }
  return covers;
}

function adminText(step: AdminStep): string {
  return step.kind === 'enable' || step.kind === 'disable' ? `${step.kind} ${step.patch}` : step.kind;
}

/**
 * The temporal properties in a scenario's check list, under its assume list;
 * with none but a non-empty assume list, the assumptions alone (unused: KLP506).
 */
function scenarioLiveness(scenario: Scenario): ModelOptions['liveness'] {
  const properties = scenario.check.filter((n) => temporalPropertyNamed(n) !== undefined);
  const assume = scenario.assume ?? [];
  return properties.length === 0 && assume.length === 0 ? undefined : { properties, assume };
}

/** The spec's temporal properties and fairness, when liveness is asked for. */
function temporalPart(k: Kernel, l: ModelOptions['liveness'], actions: readonly string[]): Pick<LivepatchSpec['definition'], 'properties' | 'fairness' | 'fairnessText'> {
  if (l === undefined) return {};
  const properties: { [name: string]: TemporalProperty['definition'] } = {};
  for (const name of l.properties) {
    const p = temporalPropertyNamed(name);
    if (p === undefined) throw new KlpError('KLP120', `unknown temporal property ${name}`);
    properties[p.name] = temporalDefinition(p, k);
  }
  return { properties, fairness: fairnessOf(l.assume, actions), ...(l.assume.length > 0 ? { fairnessText: `assume: ${l.assume.join(', ')}` } : {}) };
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
  const preempts = bodies.some((b) => b.some((st) => st.kind === 'preempt'));
  const kinds = new Set(sc.tasks.map((t) => t.kind));
  const admin = new Set(sc.admin.sequence.map((a) => a.kind));
  const out: string[] = [];
  if (!forks || !k.rules.fork.atomic) out.push('copy_process');
  if (!forks || k.rules.fork.atomic) out.push('dup_task_struct', 'klp_copy_process');
  if (!kinds.has('idle')) out.push('do_idle');
  if (!sc.tasks.some((t) => t.exits)) out.push('do_exit');
  if (!sleeps) out.push('schedule', 'try_to_wake_up');
  if (!preempts) out.push('preempt_schedule_irq', 'preempt_point', 'finish_task_switch');
  if (!bodies.some((b) => b.some((st) => st.kind === 'cond_resched'))) out.push('cond_resched');
  if (!sc.admin.anytime.has('signal') || (!sleeps && !kinds.has('user'))) out.push('klp_send_signals', 'kgr_send_fake_signal');
  if (!sc.admin.anytime.has('reverse') && !admin.has('reverse') && !admin.has('disable')) out.push('klp_reverse_transition');
  if (!sc.admin.anytime.has('force') && !admin.has('force')) out.push('klp_force_transition', 'kgr_unmark_processes');
  if (!admin.has('disable')) out.push('klp_disable_patch');
  if (!kinds.has('user')) out.push('syscall', 'exit_to_user_mode');
  return out;
}

/** The switching actions of each consistency model (rule family `model`); the task actions are shared. */
const MODEL_ACTIONS: { readonly [model: string]: readonly string[] } = {
  upstream: ['klp_enable_patch', 'klp_disable_patch', 'klp_try_switch_task', 'klp_send_signals', 'klp_reverse_transition', 'klp_force_transition', 'klp_complete_transition'],
  kpatch: ['kpatch_apply_patch', 'kpatch_remove_patch'],
  kgraft: ['kgr_modify_kernel', 'kgr_task_safe', 'kgr_send_fake_signal', 'kgr_unmark_processes', 'kgr_finalize'],
  'park-all': ['freeze_processes', 'try_to_freeze', 'stop_machine'],
};

/** The task actions every model shares (a park-all freeze stops them for a held task). */
const SHARED_TASK_ACTIONS = ['syscall', 'klp_ftrace_handler', 'ret', 'schedule', 'try_to_wake_up', 'preempt_schedule_irq', 'preempt_point', 'finish_task_switch', 'cond_resched', 'copy_process', 'dup_task_struct', 'klp_copy_process', 'exit_to_user_mode', 'do_idle', 'do_exit'];

/** Actions of the models not in force, and the disable half of a model whose admin never disables. */
function otherModelsActions(k: Kernel): string[] {
  const model = k.rules.model.kind;
  const out = Object.entries(MODEL_ACTIONS).flatMap(([m, names]) => (m === model ? [] : names));
  if (!k.scenario.admin.sequence.some((a) => a.kind === 'disable')) out.push('kpatch_remove_patch');
  if (!k.scenario.tasks.some((t) => t.kind === 'kthread')) out.push('kgr_task_safe');
  return out;
}

/**
 * The administrator's reverse, and the anytime actions, exist only in the
 * upstream model, except that kGraft has a forced finish (`force`: the write
 * to /sys/kernel/kgraft/in_progress) and a fake signal (`anytime: [signal]`),
 * kgraft.ts; kpatch and park-all have no transition to reverse or force, and
 * kGraft's revert is a `disable`. A spec asking for a missing one would
 * otherwise wait for a step that never comes and report a hollow "safe".
 */
function checkModelFits(k: Kernel): void {
  const model = k.rules.model.kind;
  if (model === 'upstream') return;
  const file = k.scenario.file;
  const has = (what: string): boolean => model === 'kgraft' && (what === 'force' || what === 'signal');
  const step = k.scenario.admin.sequence.find((a) => (a.kind === 'reverse' || a.kind === 'force') && !has(a.kind));
  if (step !== undefined) {
    throw new KlpError('KLP220', `model ${model} has no "${step.kind}": the admin sequence step "${step.kind}" could never happen`, {
      location: { file },
      hints: ['reverse exists only under model upstream, force under upstream and kgraft; give this variant its own admin:'],
    });
  }
  const anytime = [...k.scenario.admin.anytime].filter((a) => !has(a));
  if (anytime.length > 0) {
    throw new KlpError('KLP220', `model ${model} does not model the anytime admin action${anytime.length > 1 ? 's' : ''} ${anytime.join(', ')}`, {
      location: { file },
      hints: ['anytime: reverse exists only under model upstream, force and signal under upstream and kgraft; give this variant its own admin:'],
    });
  }
}
