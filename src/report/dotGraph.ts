// Graphviz DOT for a small model's whole state graph, with the violating
// path (if any) drawn in red and thick; states labelled by the narrator's
// description of them.
import type { StateGraph } from '../engine/stateGraph.ts';
import { dotString } from './dotTrace.ts';
import type { Narrator } from './narrator.ts';

export function renderDotGraph<S>(graph: StateGraph<S>, narrator: Narrator, path: readonly number[] = []): string {
  const onPath = new Set(path);
  const pathEdges = new Set(path.slice(1).map((to, i) => `${path[i]}>${to}`));
  const out = ['digraph states {', '  node [shape=box, fontname="monospace", fontsize=9];', '  edge [fontname="monospace", fontsize=8];'];
  graph.states.forEach((s, i) => {
    const label = narrator.initial(s).map((l) => `${l.who}: ${l.what}`).join('\n');
    const style = [graph.initial.includes(i) ? 'penwidth=2' : '', onPath.has(i) ? 'color=red, fontcolor=red' : ''].filter((x) => x !== '');
    out.push(`  s${i} [label=${dotString(`#${i}\n${label}`)}${style.length > 0 ? `, ${style.join(', ')}` : ''}];`);
  });
  for (const [from, to, label] of graph.edges) {
    const red = pathEdges.has(`${from}>${to}`) ? ', color=red, fontcolor=red, penwidth=3' : '';
    out.push(`  s${from} -> s${to} [label=${dotString(label)}${red}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
