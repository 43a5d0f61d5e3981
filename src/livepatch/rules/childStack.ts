// Rule family `child-stack`: what a forked child's kernel stack holds. Today
// it is empty but for the ret_from_fork frame, which is not a patchable
// function (Josh Poimboeuf, 2016 and 2025); Andy Lutomirski's idea of
// children that "return from schedule()" would give them frames (2016).
import type { List } from 'immutable';
import type { Frame, Version } from '../state.ts';
import type { RuleFamily } from './ruleFamily.ts';

/** Builds the child's frames from the parent's; `initialVersion` is what an unswitched task dispatches to. */
export type ChildStackImpl = (parentStack: List<Frame>, initialVersion: (fn: string) => Version) => List<Frame>;

export const childStackRule: RuleFamily<ChildStackImpl> = {
  name: 'child-stack',
  description: "what a forked child's kernel stack holds",
  default: 'empty',
  variants: [
    { name: 'empty', description: "no patchable frame, only ret_from_fork (today's kernel)", impl: (stack) => stack.clear() },
    {
      name: 'synthetic-initial',
      description: "the parent's call chain rebuilt from initial-universe return addresses",
      impl: (stack, initialVersion) => stack.map((f) => f.set('version', initialVersion(f.fn))),
    },
    { name: 'copy-parent', description: "a copy of the parent's kernel stack", impl: (stack) => stack },
  ],
};
