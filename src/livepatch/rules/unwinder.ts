// Rule family `unwinder`: what the stack trace of a sleeping task reports
// (arch_stack_walk_reliable()). An asm routine that sets up no frame hides
// the return address into its caller from a frame-pointer walk (the 2015
// debate; S3 in docs/scenarios.md#s3, sources in docs/sources.md).
import type { List } from 'immutable';
import type { Frame } from '../state.ts';
import type { RuleFamily } from './ruleFamily.ts';

export interface StackTrace {
  /** False: the walk reports the stack as unreliable and the check fails. */
  readonly reliable: boolean;
  /** The frames the trace reports. */
  readonly frames: readonly Frame[];
}

/**
 * `preempted`: the task was interrupted and preempted, so kernel-mode pt_regs
 * sit on its stack and the interrupted function's address is only in
 * regs->ip, not on the frame-pointer chain.
 */
export type UnwinderImpl = (stack: List<Frame>, frameless: (fn: string) => boolean, preempted: boolean) => StackTrace;

export const unwinderRule: RuleFamily<UnwinderImpl> = {
  name: 'unwinder',
  description: 'what the stack walk reports for a task under a frameless asm routine',
  default: 'orc',
  variants: [
    {
      name: 'naive',
      description: 'frame-pointer walk that misses the caller of a frameless routine (and a preempted task\'s interrupted function) and still says reliable',
      impl: (stack, frameless, preempted) => ({
        reliable: true,
        frames: stack.filter((_f, i) => !(i + 1 < stack.size && frameless(stack.get(i + 1)!.fn)) && !(preempted && i === stack.size - 1)).toArray(),
      }),
    },
    {
      name: 'reliable',
      description: 'reliable frame-pointer walk: a frameless routine, or kernel-mode pt_regs of a preemption, on the stack makes it unreliable',
      impl: (stack, frameless, preempted) => ({ reliable: !preempted && !stack.some((f) => frameless(f.fn)), frames: stack.toArray() }),
    },
    { name: 'orc', description: 'ORC: unwinds through frameless routines and interrupts and reports every frame', impl: (stack) => ({ reliable: true, frames: stack.toArray() }) },
    { name: 'none', description: 'no HAVE_RELIABLE_STACKTRACE: every stack check fails', impl: () => ({ reliable: false, frames: [] }) },
  ],
};
