// The kernel state the model tracks, as Immutable Records so the engine can
// fingerprint and print it. Names follow kernel/livepatch: per task
// `patchState` (task->patch_state) and `pending` (TIF_PATCH_PENDING), the
// global `transitionPatch` (klp_transition_patch) and `targetState`
// (klp_target_state), and per original function its `funcStack`
// (klp_ops->func_stack, head = top), whose entries name a patch and whether
// the entry is a NOP added by atomic replace.
import { List, Map as IMap, Record } from 'immutable';

/** IDLE: only under proposals whose children start idle (a fork plug-in); see plugin.ts. */
export type PatchState = 'UNDEFINED' | 'UNPATCHED' | 'PATCHED' | 'IDLE';
export type TaskStatus = 'unborn' | 'forking' | 'alive' | 'dead';
export type Mode = 'user' | 'kernel';
/**
 * 'preempted': runnable but off the CPU, interrupted at a preemption point (kernel-mode pt_regs on its stack).
 * 'frozen': TASK_FROZEN, in the refrigerator (__refrigerator()) at its freezing point; only under model park-all (freezer.ts).
 */
export type Sleep = 'no' | 'interruptible' | 'uninterruptible' | 'preempted' | 'frozen';
export type PatchStatus = 'loaded' | 'enabled' | 'disabled' | 'freed';

/** The version of a function a frame runs: 'orig' or the name of a patch. */
export type Version = string;
export const ORIG: Version = 'orig';

/** A live invocation on a task's kernel stack: which function, which version, where in its body. */
export const Frame = Record({
  fn: '',
  version: ORIG as Version,
  pc: 0,
  /** Values bound by `x = call f`: variable -> "f@version" that produced it. */
  locals: IMap<string, string>(),
  /** For `call g(x)`: "f@version" that produced the argument, or ''. */
  arg: '',
  /**
   * Ghost for `caller-consistency`, kept only in frames of the callers the
   * spec names: patched function -> the versions this activation called,
   * comma-separated in first-call order ("orig,P" is a mixed activation).
   */
  calls: IMap<string, string>(),
});
export type Frame = ReturnType<typeof Frame>;

export const Task = Record({
  status: 'alive' as TaskStatus,
  mode: 'user' as Mode,
  sleep: 'no' as Sleep,
  stack: List<Frame>(),
  patchState: 'UNDEFINED' as PatchState,
  pending: false,
  /** For a forked task: its parent. */
  parent: '',
});
export type Task = ReturnType<typeof Task>;

/** One klp_func on a func stack. */
export const FuncEntry = Record({ patch: '', nop: false });
export type FuncEntry = ReturnType<typeof FuncEntry>;

export const Patch = Record({ status: 'loaded' as PatchStatus, forced: false });
export type Patch = ReturnType<typeof Patch>;

export const LivepatchState = Record({
  tasks: IMap<string, Task>(),
  funcStack: IMap<string, List<FuncEntry>>(),
  patches: IMap<string, Patch>(),
  transitionPatch: '',
  targetState: 'UNDEFINED' as PatchState,
  /** Index of the next step of the administrator's sequence. */
  adminPc: 0,
  /** pm_freezing: a park-all freeze is in progress (freezer.ts); always false under the other models. */
  freezing: false,
  /** Ghost: tasks not at the target when a transition completed (INV-C). */
  completedWithout: List<string>(),
  /** Ghost: the first switch that left a task with a stale frame (stack-check-sound). */
  unsoundSwitch: '',
});
export type LivepatchState = ReturnType<typeof LivepatchState>;

export function opposite(s: PatchState): PatchState {
  return s === 'PATCHED' ? 'UNPATCHED' : s === 'UNPATCHED' ? 'PATCHED' : 'UNDEFINED';
}

export function frameText(f: Frame): string {
  return `${f.fn}@${f.version}`;
}
