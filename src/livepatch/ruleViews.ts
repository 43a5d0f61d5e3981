// Where the model meets the rule families: builds the plain views the
// plug-in API promises (plugin.ts) from the model's Immutable state, calls
// the selected variant and turns its answer back into model values. Kept in
// one file so that the actions (taskActions.ts, transition.ts) call a rule in
// one line each, and the views cost nothing where a record already fits.
import { List, isRecord } from 'immutable';
import { dispatch, entryIndex, versionOf } from './dispatch.ts';
import type { Kernel } from './kernel.ts';
import type { FrameView, FuncStackEntryView, TaskView } from './plugin.ts';
import { Frame, opposite, type LivepatchState, type PatchState, type Task, type Version } from './state.ts';

export function taskView(name: string, t: Task): TaskView {
  return { name, patchState: t.patchState, pending: t.pending, stack: t.stack.toArray() };
}

/** The child-stack rule applied to a parent; frames it keeps carry the parent's locals. */
export function childFrames(k: Kernel, s: LivepatchState, parent: Task): List<Frame> {
  const initial = s.transitionPatch === '' ? 'UNDEFINED' : opposite(s.targetState);
  const frames = k.rules.childStack(parent.stack.toArray(), (fn) => dispatch(s, initial, fn));
  return List(frames.map((f, i) => (isRecord(f) ? (f as Frame) : toFrame(f, parent.stack.get(i)))));
}

function toFrame(f: FrameView, like: Frame | undefined): Frame {
  const frame = Frame({ fn: f.fn, version: f.version, pc: f.pc });
  return like !== undefined && like.fn === f.fn ? frame.merge({ locals: like.locals, arg: like.arg }) : frame;
}

/**
 * klp_ftrace_handler for a task in IDLE calling patched `fn`: the fork
 * variant's resolveIdle says the state to persist; the call runs as that
 * state, or as klp_target_state when it leaves the task IDLE.
 */
export function idleCall(k: Kernel, s: LivepatchState, name: string, t: Task, fn: string): { runAs: PatchState; task: Task } {
  const stack = s.funcStack.get(fn);
  if (t.patchState !== 'IDLE' || stack === undefined || stack.size === 0) return { runAs: t.patchState, task: t };
  const hook = k.rules.fork.resolveIdle;
  const persisted = hook === undefined ? 'IDLE' : hook.call(k.rules.fork, { task: taskView(name, t), fn, transitionPatch: s.transitionPatch, targetState: s.targetState });
  return { runAs: persisted === 'IDLE' ? s.targetState : persisted, task: persisted === 'IDLE' ? t : t.set('patchState', persisted) };
}

/** klp_check_stack_func() towards PATCHED: the stack-check rule over the func stack of `fn`. */
export function predecessorsChecked(k: Kernel, s: LivepatchState, fn: string): readonly Version[] {
  const stack = s.funcStack.get(fn)!;
  const funcStack: FuncStackEntryView[] = stack.toArray().map((e) => {
    const decl = k.patch(e.patch);
    return {
      patch: e.patch,
      version: versionOf(e),
      nop: e.nop,
      immediate: k.rules.immediate.honoured && (decl.immediate || decl.immediateFunctions.has(fn)),
      replace: decl.replace,
      forced: s.patches.get(e.patch)?.forced === true,
    };
  });
  return k.rules.stackCheck({ fn, funcStack, index: entryIndex(stack, s.transitionPatch), transitionPatch: s.transitionPatch, targetState: s.targetState });
}
