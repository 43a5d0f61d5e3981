// Rule family `stack-check`: which versions klp_check_stack_func() looks for
// when switching a task to PATCHED. Upstream checks only the entry below the
// transition patch's on the func stack (or the original): one predecessor.
// Commit d0807da78e11 ("livepatch: Remove immediate feature") names the other
// fix for the immediate bug: walk back through every older version.
// In the UNPATCHED direction every variant checks the version being removed.
import type { List } from 'immutable';
import { versionOf } from '../dispatch.ts';
import { ORIG, type FuncEntry, type Version } from '../state.ts';
import type { RuleFamily } from './ruleFamily.ts';

/** The versions to look for below entry `index` of `stack`, switching to PATCHED. */
export type StackCheckImpl = (stack: List<FuncEntry>, index: number) => Version[];

export const stackCheckRule: RuleFamily<StackCheckImpl> = {
  name: 'stack-check',
  description: 'which older versions the stack check looks for when patching',
  default: 'one-predecessor',
  variants: [
    {
      name: 'one-predecessor',
      description: "only the version unswitched tasks run now, the next func-stack entry (today's kernel)",
      impl: (stack, index) => [versionOf(stack.get(index + 1))],
    },
    {
      name: 'all-predecessors',
      description: 'every older version down to the original (fix (a) of the immediate bug)',
      impl: (stack, index) => [...new Set([...stack.skip(index + 1).map(versionOf), ORIG])],
    },
  ],
};
