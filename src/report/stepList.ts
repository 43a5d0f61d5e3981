// A trace as one line per step (the action that was taken), for summaries
// where the full states would drown the reader (npm start's report).
import type { Trace } from '../engine/result.ts';

export function renderStepList(trace: Trace, indent = '    '): string {
  return trace.steps.map((s) => `${indent}${String(s.index).padStart(2)}  ${s.action === undefined ? '<Initial predicate>' : s.action.label}\n`).join('');
}
