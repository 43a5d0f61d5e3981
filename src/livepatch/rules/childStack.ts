// Rule family `child-stack`: what a forked child's kernel stack holds. Today
// it is empty but for the ret_from_fork frame, which is not a patchable
// function (Josh Poimboeuf, 2016 and 2025); Andy Lutomirski's idea of
// children that "return from schedule()" would give them frames (2016).
// Variants are written against the plug-in API (plugin.ts: ChildStackVariant).
import type { ChildStackVariant } from '../plugin.ts';
import type { RuleFamily } from './ruleFamily.ts';

/** Builds the child's frames from the parent's; `initialVersion` is what an unswitched task dispatches to. */
export type ChildStackImpl = ChildStackVariant;

export const childStackRule: RuleFamily<ChildStackImpl> = {
  name: 'child-stack',
  description: "what a forked child's kernel stack holds",
  default: 'empty',
  variants: [
    { name: 'empty', description: "no patchable frame, only ret_from_fork (today's kernel)", impl: () => [] },
    {
      name: 'synthetic-initial',
      description: "the parent's call chain rebuilt from initial-universe return addresses",
      impl: (stack, initialVersion) => stack.map((f) => ({ fn: f.fn, version: initialVersion(f.fn), pc: f.pc })),
    },
    { name: 'copy-parent', description: "a copy of the parent's kernel stack", impl: (stack) => stack },
  ],
};
