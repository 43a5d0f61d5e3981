// Rule family `stack-check`: which versions klp_check_stack_func() looks for
// when switching a task to PATCHED. Upstream checks only the entry below the
// transition patch's on the func stack (or the original): one predecessor.
// Commit d0807da78e11 ("livepatch: Remove immediate feature") names the other
// fix for the immediate bug: walk back through older versions. In the
// UNPATCHED direction every variant checks the version being removed.
// Variants receive the whole func stack with each entry's patch declaration
// (plugin.ts: StackCheckInput), so a proposal can tell immediate, NOP,
// replace and forced entries apart (specs/proposals/through-immediates.ts).
import type { StackCheckVariant } from '../plugin.ts';
import { ORIG } from '../state.ts';
import type { RuleFamily } from './ruleFamily.ts';

/** The versions to look for below the transition patch's entry, switching to PATCHED. */
export type StackCheckImpl = StackCheckVariant;

export const stackCheckRule: RuleFamily<StackCheckImpl> = {
  name: 'stack-check',
  description: 'which older versions the stack check looks for when patching',
  default: 'one-predecessor',
  variants: [
    {
      name: 'one-predecessor',
      description: "only the version unswitched tasks run now, the next func-stack entry (today's kernel)",
      impl: ({ funcStack, index }) => [funcStack[index + 1]?.version ?? ORIG],
    },
    {
      name: 'all-predecessors',
      description: 'every older version down to the original (fix (a) of the immediate bug)',
      impl: ({ funcStack, index }) => [...new Set([...funcStack.slice(index + 1).map((e) => e.version), ORIG])],
    },
  ],
};
