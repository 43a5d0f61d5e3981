// Rule family `unwinder`: what the stack trace of a sleeping task reports
// (arch_stack_walk_reliable()). An asm routine that sets up no frame hides
// the return address into its caller from a frame-pointer walk (the 2015
// debate; S3 in docs/scenarios.md#s3, S3b for a preempted task). Variants are
// written against the plug-in API (plugin.ts: UnwinderVariant).
import type { StackTraceView, UnwinderVariant } from '../plugin.ts';
import type { RuleFamily } from './ruleFamily.ts';

export type StackTrace = StackTraceView;
export type UnwinderImpl = UnwinderVariant;

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
        frames: stack.filter((_f, i) => !(i + 1 < stack.length && frameless(stack[i + 1]!.fn)) && !(preempted && i === stack.length - 1)),
      }),
    },
    {
      name: 'reliable',
      description: 'reliable frame-pointer walk: a frameless routine, or kernel-mode pt_regs of a preemption, on the stack makes it unreliable',
      impl: (stack, frameless, preempted) => ({ reliable: !preempted && !stack.some((f) => frameless(f.fn)), frames: stack }),
    },
    { name: 'orc', description: 'ORC: unwinds through frameless routines and interrupts and reports every frame', impl: (stack) => ({ reliable: true, frames: stack }) },
    { name: 'none', description: 'no HAVE_RELIABLE_STACKTRACE: every stack check fails', impl: () => ({ reliable: false, frames: [] }) },
  ],
};
