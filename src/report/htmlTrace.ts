// One self-contained HTML file (no network, no external script) showing a
// trace as swimlanes: one lane per task, its universe as the lane's colour,
// its stack as boxes with versions (stale frames outlined in red). Step with
// the arrow keys (Home/End for the ends) or the buttons.
import type { Trace } from '../engine/result.ts';
import type { LaneView } from './lanes.ts';
import type { Narrator } from './narrator.ts';

export interface HtmlInput {
  title: string;
  specFile: string;
  trace: Trace;
  lanes: LaneView;
  narrator: Narrator;
  /** The sentence saying why the last step breaks the property. */
  breaking?: string;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STYLE = `
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.2em; margin: 0 0 .2em; }
#meta { color: #555; margin-bottom: 1em; }
#controls { margin: .5em 0 1em; }
#controls button { font-size: 1em; margin-right: .5em; }
#what { font-weight: 600; margin: .5em 0; min-height: 1.4em; }
#lanes { display: flex; gap: 1em; align-items: flex-start; }
.lane { border: 1px solid #999; border-radius: 6px; padding: .5em; min-width: 12em; }
.lane.old { background: #cfe2ff; } .lane.new { background: #ffe0b3; } .lane.none { background: #eee; }
.lane h2 { font-size: 1em; margin: 0; } .caption { font-size: .85em; color: #333; margin-bottom: .4em; }
.box { font-family: monospace; background: #fff; border: 1px solid #666; border-radius: 3px; padding: .15em .4em; margin-top: .25em; }
.box.stale { border: 2px solid #c00; color: #c00; }
#why { color: #c00; font-weight: 600; margin-top: 1em; }
#legend { margin-top: 1.5em; font-size: .85em; color: #555; }
`;

const SCRIPT = `
const data = JSON.parse(document.getElementById('trace-data').textContent);
let at = 0;
function show(k) {
  at = Math.max(0, Math.min(data.steps.length - 1, k));
  const step = data.steps[at];
  document.getElementById('step').textContent = 'Step ' + step.index + ' of ' + data.steps.length;
  document.getElementById('what').textContent = step.title;
  const lanes = document.getElementById('lanes');
  lanes.replaceChildren();
  for (const lane of step.lanes) {
    const div = document.createElement('div');
    div.className = 'lane ' + lane.tone;
    div.dataset.lane = lane.name;
    const h = document.createElement('h2'); h.textContent = lane.name; div.appendChild(h);
    const c = document.createElement('div'); c.className = 'caption'; c.textContent = lane.caption; div.appendChild(c);
    for (const b of lane.boxes) {
      const box = document.createElement('div');
      box.className = 'box' + (b.stale ? ' stale' : '');
      box.textContent = b.text + (b.stale ? '  (stale)' : '');
      div.appendChild(box);
    }
    lanes.appendChild(div);
  }
  document.getElementById('why').textContent = at === data.steps.length - 1 ? data.breaking : '';
}
document.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowRight' || e.key === 'ArrowDown') show(at + 1);
  else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') show(at - 1);
  else if (e.key === 'Home') show(0);
  else if (e.key === 'End') show(data.steps.length - 1);
});
document.getElementById('prev').addEventListener('click', () => show(at - 1));
document.getElementById('next').addEventListener('click', () => show(at + 1));
show(0);
`;

export function renderHtmlTrace(input: HtmlInput): string {
  const steps = input.trace.steps.map((step, i) => ({
    index: step.index,
    title: i === 0 || step.action === undefined ? 'initial state' : input.narrator.step(input.trace.steps[i - 1]!.state, step.state, step.action).title,
    lanes: input.lanes(step.state),
  }));
  const json = JSON.stringify({ steps, breaking: input.breaking ?? '' }).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>klpcheck: ${escapeHtml(input.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<div id="meta">${escapeHtml(input.specFile)}</div>
<div id="controls"><button id="prev">&larr; previous</button><button id="next">next &rarr;</button><span id="step"></span></div>
<div id="what"></div>
<div id="lanes"></div>
<div id="why"></div>
<div id="legend">Lane colour: blue UNPATCHED, orange PATCHED, grey UNDEFINED. A red box is a stale frame: a version the task no longer dispatches to. Keys: &larr; &rarr; Home End.</div>
<script type="application/json" id="trace-data">${json}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
