// The CheckResult a safety search hands back, built in one place from its
// figures: the one-thread search (bfs.ts) and the parallel one
// (parallel/checkParallel.ts) must agree on every field, so neither spells
// the record out itself.
import type { FrontierStats } from './frontier.ts';
import type { BoundHit, CheckResult, CheckWarning, Verdict, Violation } from './result.ts';
import type { FingerprintSet } from './seenSet.ts';
import type { Model } from './spec.ts';

export interface SearchFigures<S> {
  readonly model: Model<S>;
  readonly end: { violation?: Violation<S>; bound?: BoundHit };
  readonly distinct: number;
  readonly generated: number;
  readonly depth: number;
  readonly queueLeft: number;
  readonly elapsedMs: number;
  readonly seen: FingerprintSet;
  /** Absent when the search held no frontier of its own (workers hold theirs live). */
  readonly frontier?: FrontierStats;
  readonly actionNames: readonly string[];
  readonly coveredGenerated: ArrayLike<number>;
  readonly coveredDistinct: ArrayLike<number>;
  readonly warnings: (verdict: Verdict) => readonly CheckWarning[];
}

export function searchResult<S>(f: SearchFigures<S>): CheckResult<S> {
  const { model, end, distinct, generated } = f;
  const verdict: Verdict = end.violation ? end.violation.kind : end.bound ? 'incomplete' : 'ok';
  return {
    model: model.name,
    constants: model.constants,
    verdict,
    ...end,
    stats: {
      distinct,
      generated,
      depth: f.depth,
      queueLeft: f.queueLeft,
      elapsedMs: f.elapsedMs,
      seenSetBytes: f.seen.bytes,
      ...(f.frontier !== undefined ? { frontier: f.frontier } : {}),
      collisionOptimistic: (distinct * (generated - distinct)) / 2 ** 64,
      collisionActual: verdict === 'ok' && distinct > 1 ? 1 / Number(f.seen.minimumDistance()) : 0,
    },
    coverage: f.actionNames.map((action, i) => ({ action, generated: f.coveredGenerated[i]!, distinct: f.coveredDistinct[i]! })),
    warnings: [...f.warnings(verdict)],
    invariants: model.invariants.map((i) => i.name),
    checkDeadlock: model.checkDeadlock,
    ...(model.ample !== undefined ? { partialOrder: true as const } : {}),
    ...(model.symmetry !== undefined ? { symmetry: true as const } : {}),
  };
}
