// A state seen as lanes, for pictures (DOT swimlanes, the HTML viewer): one
// lane per task with its universe as a tone and its stack as boxes, or, for
// a spec written in TypeScript, one lane per variable.
import { dispatch } from '../livepatch/dispatch.ts';
import type { LivepatchState } from '../livepatch/state.ts';
import { formatValue } from '../engine/tlaText.ts';

export interface Lane {
  readonly name: string;
  /** One line under the lane's name: patch state and where the task is. */
  readonly caption: string;
  /** Which universe the lane is in, for its colour. */
  readonly tone: 'old' | 'new' | 'none';
  /** Stack frames (bottom first) or the value, one box each. */
  readonly boxes: readonly { readonly text: string; readonly stale: boolean }[];
}

export type LaneView = (s: unknown) => Lane[];

/** Livepatch: one lane per task that exists; UNPATCHED old, PATCHED new; frames by version. */
export const livepatchLanes: LaneView = (state) => {
  const s = state as LivepatchState;
  const lanes: Lane[] = [];
  for (const [name, t] of s.tasks) {
    if (t.status === 'unborn') continue;
    const tone = t.patchState === 'PATCHED' ? 'new' : t.patchState === 'UNPATCHED' ? 'old' : 'none';
    const where = t.status === 'dead' ? 'exited' : t.status === 'forking' ? 'being forked' : t.sleep === 'preempted' || t.sleep === 'frozen' ? t.sleep : t.sleep !== 'no' ? `asleep (${t.sleep})` : t.mode === 'user' ? 'user space' : 'kernel';
    lanes.push({
      name,
      caption: `${t.patchState}${t.pending ? ' pending' : ''}, ${where}`,
      tone,
      // A frame is stale when the task would no longer dispatch to its version (I1).
      boxes: t.stack.toArray().map((f) => ({ text: `${f.fn}@${f.version}`, stale: dispatch(s, t.patchState, f.fn) !== f.version })),
    });
  }
  return lanes;
};

/** Generic: one lane per variable, its value as the only box. */
export function variableLanes(variables: readonly string[]): LaneView {
  return (s) => variables.map((v) => ({ name: v, caption: '', tone: 'none', boxes: [{ text: formatValue((s as { get(k: string): unknown }).get(v)), stale: false }] }));
}
