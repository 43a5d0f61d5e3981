// Graphviz DOT for a trace: one lane (column) per task, one rank per step;
// a lane's node shows the task's patch state and stack, filled with its
// universe's colour, stale frames marked; the breaking step in red.
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
  // Keep each lane in one column.
  laneNames.forEach((_, j) => {
    const ids = trace.steps.map((_s, i) => `n${i}_${j}`).filter((id) => out.some((l) => l.startsWith(`  ${id} [`)));
    for (let k = 1; k < ids.length; k++) out.push(`  ${ids[k - 1]} -> ${ids[k]};`);
  });
  out.push('}');
  return `${out.join('\n')}\n`;
}
