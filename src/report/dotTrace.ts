// Graphviz DOT for a trace: one lane (column) per task, one rank per step;
// a lane's node shows the task's patch state and stack, filled with its
// universe's colour, stale frames marked; the breaking step in red. A
// liveness counterexample (a lasso) ends with a dashed edge from the last
// step back to the step its cycle starts at (a self-loop for stuttering),
// labelled as the loop.
import type { Trace } from '../engine/result.ts';
import type { LaneView } from './lanes.ts';
import type { Narrator } from './narrator.ts';

const FILL = { old: '#cfe2ff', new: '#ffe0b3', none: '#eeeeee' } as const;

/** A DOT string literal. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function renderDotTrace(trace: Trace, lanes: LaneView, narrator: Narrator, breaking?: string): string {
  const out = ['digraph trace {', '  rankdir=TB;', '  node [shape=box, fontname="monospace", fontsize=10];', '  edge [style=invis];'];
  const laneNames: string[] = [];
  const last = trace.steps.length - 1;
  trace.steps.forEach((step, i) => {
    const title = i === 0 || step.action === undefined ? 'initial state' : narrator.step(trace.steps[i - 1]!.state, step.state, step.action).title;
    const bad = i === last && breaking !== undefined;
    out.push(`  s${i} [label=${dotString(`${step.index}: ${title}${bad ? `\n${breaking}` : ''}`)}, shape=plaintext${bad ? ', fontcolor=red' : ''}];`);
    const rank = [`s${i}`];
    for (const lane of lanes(step.state)) {
      if (!laneNames.includes(lane.name)) laneNames.push(lane.name);
      const id = `n${i}_${laneNames.indexOf(lane.name)}`;
      const frames = lane.boxes.map((b) => (b.stale ? `${b.text} (stale)` : b.text));
      const label = [lane.name, lane.caption, ...frames].filter((x) => x !== '').join('\n');
      out.push(`  ${id} [label=${dotString(label)}, style=filled, fillcolor="${FILL[lane.tone]}"${lane.boxes.some((b) => b.stale) ? ', color=red, penwidth=2' : ''}];`);
      rank.push(id);
    }
    out.push(`  { rank=same; ${rank.join('; ')}; }`);
    if (i > 0) out.push(`  s${i - 1} -> s${i};`);
  });
  if (trace.loop !== undefined) out.push(loopEdge(trace, narrator));
  // Keep each lane in one column.
  laneNames.forEach((_, j) => {
    const ids = trace.steps.map((_s, i) => `n${i}_${j}`).filter((id) => out.some((l) => l.startsWith(`  ${id} [`)));
    for (let k = 1; k < ids.length; k++) out.push(`  ${ids[k - 1]} -> ${ids[k]};`);
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}

/** The lasso's back edge: from the last step to the loop's start, dashed, not ranking anything. */
function loopEdge(trace: Trace, narrator: Narrator): string {
  const last = trace.steps.length - 1;
  const to = trace.loop!;
  const action = trace.loopAction;
  const label =
    action === undefined
      ? `loop: stays in ${last + 1} forever (stuttering)`
      : `loop: back to ${to + 1} by ${narrator.step(trace.steps[last]!.state, trace.steps[to]!.state, action).title}, forever`;
  return `  s${last} -> s${to} [style=dashed, constraint=false, fontname="monospace", fontsize=10, label=${dotString(label)}];`;
}
