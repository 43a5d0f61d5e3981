// What tasks do: enter system calls, call and return (dispatch at entry as
// klp_ftrace_handler), sleep and wake, get preempted at preemption points, call
// cond_resched() (a self-switch point in some eras: rules/schedSwitch.ts), fork (copy_process), leave the kernel
// (exit_to_user_mode, a switch point), idle (do_idle, a switch point) and exit.
// Each function takes the state and a task name and returns the successor, or
// undefined when the action is not enabled for that task.
import { dispatch } from './dispatch.ts';
import type { Kernel } from './kernel.ts';
import type { Step } from './scenario.ts';
import { childFrames, idleCall, taskView } from './ruleViews.ts';
import { Frame, Task, type LivepatchState } from './state.ts';
import { switchTask } from './switchTask.ts';
import { checkAndSwitch } from './transition.ts';

type Next = LivepatchState | undefined;

/** The step a running task in the kernel executes next, if any. */
function nextStep(k: Kernel, t: Task): Step | undefined {
  if (t.status !== 'alive' || t.mode !== 'kernel' || t.sleep !== 'no') return undefined;
  const top = t.stack.last();
  if (top === undefined) return undefined;
  return k.bodyOf(top.fn, top.version)[top.pc];
}

// The search offers one state to every action instance in turn; one
// klp_ftrace_handler instance per (task, function) would decode the same next
// step many times. Remember it for the state being expanded.
let memoState: LivepatchState | undefined;
let memoKernel: Kernel | undefined;
const memoSteps = new Map<string, Step | null>();

function nextStepOf(k: Kernel, s: LivepatchState, name: string): Step | undefined {
  if (memoState !== s || memoKernel !== k) {
    memoState = s;
    memoKernel = k;
    memoSteps.clear();
  }
  let step = memoSteps.get(name);
  if (step === undefined) {
    step = nextStep(k, s.tasks.get(name)!) ?? null;
    memoSteps.set(name, step);
  }
  return step ?? undefined;
}

function advance(t: Task): Task {
  return t.update('stack', (st) => st.update(st.size - 1, (f) => f!.set('pc', f!.pc + 1)));
}

/** A user task in user mode enters system call `sys`. */
export function syscall(k: Kernel, s: LivepatchState, name: string, sys: string): Next {
  const t = s.tasks.get(name);
  if (t === undefined || t.status !== 'alive' || t.mode !== 'user' || !k.declOf(s, name).syscalls.includes(sys)) return undefined;
  // kGraft clears TIF_KGR_IN_PROGRESS on syscall entry too (_TIF_WORK_SYSCALL_ENTRY), before the entry's dispatch.
  const entered = k.rules.model.kind === 'kgraft' && t.pending ? switchTask(s, name, 'kGraft syscall entry') : s;
  const { runAs, task } = idleCall(k, entered, name, entered.tasks.get(name)!, sys); // plug-in hook: an IDLE task (fork plug-ins only)
  const frame = Frame({ fn: sys, version: dispatch(entered, runAs, sys) });
  return entered.setIn(['tasks', name], task.merge({ mode: 'kernel', stack: task.stack.push(frame) }));
}

/** `call fn`: the callee's version is decided now, once (klp_ftrace_handler). */
export function call(k: Kernel, s: LivepatchState, name: string, fn: string): Next {
  const step = nextStepOf(k, s, name);
  if (step === undefined || step.kind !== 'call' || step.fn !== fn) return undefined;
  const { runAs, task: t } = idleCall(k, s, name, s.tasks.get(name)!, fn); // plug-in hook: an IDLE task (fork plug-ins only)
  const caller = t.stack.last()!;
  const arg = step.arg === undefined ? '' : (caller.locals.get(step.arg) ?? '');
  const callee = Frame({ fn, version: dispatch(s, runAs, fn), arg });
  const called = k.watchesCalls(caller.fn, fn) ? recordCall(advance(t), callee) : advance(t);
  return s.setIn(['tasks', name], called.update('stack', (st) => st.push(callee)));
}

/** caller-consistency's ghost: the versions of `callee.fn` the caller's activation has called. */
function recordCall(t: Task, callee: Frame): Task {
  return t.update('stack', (st) =>
    st.update(st.size - 1, (f) =>
      f!.update('calls', (calls) => {
        const seen = calls.get(callee.fn);
        if (seen === undefined) return calls.set(callee.fn, callee.version);
        return seen.split(',').includes(callee.version) ? calls : calls.set(callee.fn, `${seen},${callee.version}`);
      }),
    ),
  );
}

/** The top frame has run its whole body: return to the caller (a kthread's loop starts over). */
export function ret(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || t.mode !== 'kernel' || t.sleep !== 'no') return undefined;
  const top = t.stack.last();
  if (top === undefined || top.pc < k.bodyOf(top.fn, top.version).length) return undefined;
  if (k.isLoop(top.fn)) return s.setIn(['tasks', name, 'stack', t.stack.size - 1], top.merge({ pc: 0, locals: top.locals.clear(), calls: top.calls.clear() }));
  let stack = t.stack.pop();
  const caller = stack.last();
  if (caller !== undefined) {
    const site = k.bodyOf(caller.fn, caller.version)[caller.pc - 1];
    if (site?.kind === 'call' && site.bind !== undefined) {
      stack = stack.set(stack.size - 1, caller.setIn(['locals', site.bind], `${top.fn}@${top.version}`));
    }
  }
  return s.setIn(['tasks', name, 'stack'], stack);
}

/**
 * `sleep`: the task blocks (schedule()). A freezable sleep is
 * TASK_INTERRUPTIBLE | TASK_FREEZABLE; under sched-switch=freezable-sleep,
 * __schedule() first calls klp_sched_try_switch(), which checks the task's
 * own stack (the frames it sleeps in) and switches it when that is clean.
 */
export function schedule(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  const step = nextStep(k, t);
  if (step === undefined || step.kind !== 'sleep') return undefined;
  const from = step.how === 'freezable' && k.rules.schedSwitch.atFreezableSleep ? selfSwitch(k, s, name, '__schedule') : s;
  return from.setIn(['tasks', name], advance(from.tasks.get(name)!).set('sleep', step.how === 'freezable' ? 'interruptible' : step.how));
}

/** __klp_sched_try_switch(): a pending task checks its own stack (no -EBUSY: it is current); unchanged when the check fails. */
function selfSwitch(k: Kernel, s: LivepatchState, name: string, by: string): LivepatchState {
  if (k.rules.model.kind !== 'upstream' || !s.tasks.get(name)!.pending) return s;
  return checkAndSwitch(k, s, name, by) ?? s;
}

/** `cond_resched`: the task runs on; under sched-switch=cond-resched it first calls klp_sched_try_switch(). */
export function condResched(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (nextStep(k, t)?.kind !== 'cond_resched') return undefined;
  const from = k.rules.schedSwitch.atCondResched ? selfSwitch(k, s, name, 'cond_resched') : s;
  return from.setIn(['tasks', name], advance(from.tasks.get(name)!));
}

/** At a `preempt` step an interrupt arrives and preempt_schedule_irq() takes the CPU away. */
export function preemptScheduleIrq(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (nextStep(k, t)?.kind !== 'preempt') return undefined;
  return s.setIn(['tasks', name], advance(t).set('sleep', 'preempted'));
}

/** At a `preempt` step no interrupt preempts the task: it runs on. */
export function preemptPoint(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (nextStep(k, t)?.kind !== 'preempt') return undefined;
  return s.setIn(['tasks', name], advance(t));
}

/** The scheduler runs a preempted task again (finish_task_switch()). */
export function finishTaskSwitch(s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || t.sleep !== 'preempted') return undefined;
  return s.setIn(['tasks', name, 'sleep'], 'no');
}

/** The event a sleeping task waits for arrives. */
export function tryToWakeUp(s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || t.sleep === 'no' || t.sleep === 'preempted') return undefined;
  return s.setIn(['tasks', name, 'sleep'], 'no');
}

function freeSlot(k: Kernel, s: LivepatchState): string | undefined {
  return k.childNames.find((c) => s.tasks.get(c)!.status === 'unborn');
}

/** The child's frames under the child-stack rule; versions of an unswitched task for a synthetic stack. */
function childTask(k: Kernel, s: LivepatchState, parent: Task, parentName: string): Task {
  const stack = childFrames(k, s, parent);
  const { patchState, pending } = k.rules.fork.child(taskView(parentName, parent), s);
  return Task({ status: 'alive', mode: 'kernel', stack, patchState, pending, parent: parentName });
}

/** `fork` with an atomic klp_copy_process() (fork rules goal, initial, copy-parent). */
export function copyProcess(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (!k.rules.fork.atomic || nextStep(k, t)?.kind !== 'fork') return undefined;
  const parent = advance(t);
  const slot = freeSlot(k, s);
  const next = s.setIn(['tasks', name], parent);
  return slot === undefined ? next : next.setIn(['tasks', slot], childTask(k, s, parent, name));
}

function forkingChild(k: Kernel, s: LivepatchState, parent: string): string | undefined {
  return k.childNames.find((c) => {
    const t = s.tasks.get(c)!;
    return t.status === 'forking' && t.parent === parent;
  });
}

/** Non-atomic fork, first half: dup_task_struct() copies the whole task, pending flag included. */
export function dupTaskStruct(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (k.rules.fork.atomic || nextStep(k, t)?.kind !== 'fork' || forkingChild(k, s, name) !== undefined) return undefined;
  const slot = freeSlot(k, s);
  if (slot === undefined) return s.setIn(['tasks', name], advance(t));
  const child = childTask(k, s, advance(t), name).set('status', 'forking');
  return s.setIn(['tasks', slot], child);
}

/** Non-atomic fork, second half: klp_copy_process() copies only patch_state; the child is linked. */
export function klpCopyProcess(k: Kernel, s: LivepatchState, name: string): Next {
  const slot = forkingChild(k, s, name);
  if (slot === undefined) return undefined;
  const t = s.tasks.get(name)!;
  return s.setIn(['tasks', name], advance(t)).setIn(['tasks', slot], s.tasks.get(slot)!.merge({ status: 'alive', patchState: t.patchState }));
}

/** A user task whose kernel stack is empty returns to user mode; switch point (klp_update_patch_state). */
export function exitToUserMode(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || t.mode !== 'kernel' || t.sleep !== 'no' || t.stack.size > 0 || k.declOf(s, name).kind !== 'user') return undefined;
  const next = s.setIn(['tasks', name, 'mode'], 'user');
  return t.pending ? switchTask(next, name, 'exit_to_user_mode') : next;
}

/** The idle loop's switch point at the end of do_idle(). */
export function doIdle(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || !t.pending || k.declOf(s, name).kind !== 'idle') return undefined;
  return switchTask(s, name, 'do_idle');
}

/** exit(2) from user mode: the task leaves the task list. */
export function doExit(k: Kernel, s: LivepatchState, name: string): Next {
  const t = s.tasks.get(name)!;
  if (t.status !== 'alive' || t.mode !== 'user' || !k.declOf(s, name).exits) return undefined;
  return s.setIn(['tasks', name], t.merge({ status: 'dead', pending: false, patchState: 'UNDEFINED' }));
}
