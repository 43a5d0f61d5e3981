// Fix (a) of the `immediate` bug (commit d0807da78e11, Miroslav Benes, 2018:
// "func a, patches 1i 2i 3"): when switching a task to PATCHED, look for the
// predecessor version as today, and keep walking down the func stack while
// the entry just looked at was applied without a stack check (immediate);
// stop at the first entry that was applied with a check, or at the original.
// Upstream chose fix (b) (remove immediate, v4.16); this plug-in lets the
// checker compare the two. Unlike `all-predecessors` it does not look below a
// checked entry, and it does not walk through forced patches (the commit
// notes that force "has the similar problem").
import { definePlugin, type StackCheckInput } from '../../src/livepatch/plugin.ts';

function throughImmediates({ funcStack, index }: StackCheckInput): string[] {
  const versions: string[] = [];
  for (let i = index + 1; ; i++) {
    const entry = funcStack[i];
    if (entry === undefined) {
      versions.push('orig'); // walked past the bottom: the original code
      return versions;
    }
    versions.push(entry.version);
    if (!entry.immediate) return versions; // this one was applied with a check: nothing older can be on a stack
  }
}

export default definePlugin({
  variants: [
    {
      family: 'stack-check',
      name: 'through-immediates',
      description: 'the predecessor, and older versions while each one looked at was applied immediate (fix (a), 2018)',
      impl: throughImmediates,
    },
  ],
});
