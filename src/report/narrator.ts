// How a trace step is told in a report: a title (what happened, in the
// domain's terms) and the lines of what changed, each naming who changed.
// Reports are generic over this; the livepatch narrator speaks kernel, the
// generic one prints changed variables in TLA+ syntax.
import type { TraceStep } from '../engine/result.ts';
import { formatValue } from '../engine/tlaText.ts';

export interface NarrationLine {
  /** A task, a function, a patch, or a variable. */
  readonly who: string;
  readonly what: string;
}

export interface Narrator<S = unknown> {
  initial(s: S): NarrationLine[];
  step(prev: S, next: S, action: NonNullable<TraceStep['action']>): { title: string; lines: NarrationLine[] };
}

type Gettable = { get(k: string): unknown };

/** For specs written in TypeScript: the action's label and every variable that changed. */
export function genericNarrator(variables: readonly string[]): Narrator {
  const show = (s: unknown, name: string): string => formatValue((s as Gettable).get(name));
  return {
    initial: (s) => variables.map((v) => ({ who: v, what: show(s, v) })),
    step: (prev, next, action) => ({
      title: action.label,
      lines: variables.filter((v) => show(prev, v) !== show(next, v)).map((v) => ({ who: v, what: show(next, v) })),
    }),
  };
}
