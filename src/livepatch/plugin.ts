// The plug-in API: what a TypeScript file given under `plugins:` in a
// scenario may export to add a variant to a rule family, and the exact
// values each family's variant receives and returns. It imports nothing, on
// purpose: a plug-in is type-checked against this one file (fast), and its
// values are plain read-only data, never the model's Immutable records.
// The built-in variants (src/livepatch/rules/) are written against the same
// types. docs/proposing-a-rule.md walks through a plug-in; ADR 0014 says why
// the boundary is drawn here.

/** task->patch_state. IDLE exists only under proposals that start tasks idle (2025). */
export type PatchStateName = 'UNDEFINED' | 'UNPATCHED' | 'PATCHED' | 'IDLE';

/** The version of a function a frame runs: 'orig' or the name of a patch. */
export type VersionName = string;

/** One live frame of a task's kernel stack. `pc` is the index of the next step in the body. */
export interface FrameView {
  readonly fn: string;
  readonly version: VersionName;
  readonly pc: number;
}

/** A task as a rule sees it. */
export interface TaskView {
  readonly name: string;
  readonly patchState: PatchStateName;
  /** TIF_PATCH_PENDING. */
  readonly pending: boolean;
  /** Bottom first; the last frame is the one running. */
  readonly stack: readonly FrameView[];
}

/** The global transition state: klp_transition_patch ('' for NULL) and klp_target_state. */
export interface TransitionView {
  readonly transitionPatch: string;
  readonly targetState: PatchStateName;
}

// ---- fork: klp_copy_process() and, for IDLE children, klp_ftrace_handler ----

export interface ChildState {
  readonly patchState: PatchStateName;
  readonly pending: boolean;
}

/** A call made by a task whose patch_state is IDLE (klp_ftrace_handler at entry of `fn`). */
export interface IdleCall extends TransitionView {
  readonly task: TaskView;
  readonly fn: string;
}

export interface ForkVariant {
  /** False: the copy happens in two steps (dup_task_struct, then klp_copy_process). */
  readonly atomic: boolean;
  /** The (patchState, pending) a forked child starts with. */
  child(parent: TaskView, kernel: TransitionView): ChildState;
  /**
   * Only for variants whose children start IDLE: the handler meets a task in
   * IDLE. The call runs as the returned state, except that returning 'IDLE'
   * (nothing persisted) runs it as klp_target_state, which is also how every
   * property reads an IDLE task. Returning another state persists it in
   * task->patch_state.
   */
  resolveIdle?(call: IdleCall): PatchStateName;
}

// ---- child-stack: what a forked child's kernel stack holds ----

export type ChildStackVariant = (parentStack: readonly FrameView[], initialVersion: (fn: string) => VersionName) => readonly FrameView[];

// ---- stack-check: klp_check_stack_func() when switching to PATCHED ----

/** One klp_func on klp_ops->func_stack, top first. */
export interface FuncStackEntryView {
  readonly patch: string;
  /** What a call dispatched to this entry runs: 'orig' for a NOP, else the patch. */
  readonly version: VersionName;
  /** A NOP added by atomic replace. */
  readonly nop: boolean;
  /** The patch was applied without a stack check for this function (patch.immediate or func.immediate, honoured). */
  readonly immediate: boolean;
  /** klp_patch.replace. */
  readonly replace: boolean;
  /** The patch's transition was forced (klp_force_transition). */
  readonly forced: boolean;
}

export interface StackCheckInput extends TransitionView {
  /** The function being checked. */
  readonly fn: string;
  /** Its func stack, top first. */
  readonly funcStack: readonly FuncStackEntryView[];
  /** Index in funcStack of the transition patch's entry. */
  readonly index: number;
}

/** The versions of `fn` whose frames block the switch to PATCHED (UNPATCHED always checks the version removed). */
export type StackCheckVariant = (input: StackCheckInput) => readonly VersionName[];

// ---- unwinder: what arch_stack_walk_reliable() reports ----

export interface StackTraceView {
  /** False: the walk reports the stack as unreliable and the check fails. */
  readonly reliable: boolean;
  /** The frames the trace reports. */
  readonly frames: readonly FrameView[];
}

/**
 * `preempted`: the task was interrupted and preempted (a `preempt` step), so
 * kernel-mode pt_regs sit on its stack and the interrupted function's address
 * is only in regs->ip, not on the frame-pointer chain.
 */
export type UnwinderVariant = (stack: readonly FrameView[], frameless: (fn: string) => boolean, preempted: boolean) => StackTraceView;

// ---- immediate: whether the v4.12-v4.15 flags exist ----

export interface ImmediateVariant {
  readonly honoured: boolean;
}

/** The implementation each family's variants provide. */
export interface FamilyImpls {
  readonly fork: ForkVariant;
  readonly 'child-stack': ChildStackVariant;
  readonly 'stack-check': StackCheckVariant;
  readonly unwinder: UnwinderVariant;
  readonly immediate: ImmediateVariant;
}

export type PluginFamily = keyof FamilyImpls;

/** What every variant a plug-in adds says about itself. */
interface VariantHead<F extends PluginFamily> {
  readonly family: F;
  /** Selected as `rules: { <family>: <name> }` or `--rule <family>=<name>`; must not be a built-in name. */
  readonly name: string;
  /** One line for `klpcheck rules`. */
  readonly description: string;
}

export interface ForkPluginVariant extends VariantHead<'fork'> {
  readonly impl: ForkVariant;
}
export interface ChildStackPluginVariant extends VariantHead<'child-stack'> {
  readonly impl: ChildStackVariant;
}
export interface StackCheckPluginVariant extends VariantHead<'stack-check'> {
  readonly impl: StackCheckVariant;
}
export interface UnwinderPluginVariant extends VariantHead<'unwinder'> {
  readonly impl: UnwinderVariant;
}
export interface ImmediatePluginVariant extends VariantHead<'immediate'> {
  readonly impl: ImmediateVariant;
}

/** One variant a plug-in adds, for one family (`family` selects the type of `impl`). */
export type PluginVariant = ForkPluginVariant | ChildStackPluginVariant | StackCheckPluginVariant | UnwinderPluginVariant | ImmediatePluginVariant;

export interface Plugin {
  readonly variants: readonly PluginVariant[];
}

/** A plug-in's default export: `export default definePlugin({ variants: [...] })`. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
