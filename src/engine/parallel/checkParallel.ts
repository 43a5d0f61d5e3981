// `--workers N`: the breadth-first search of bfs.ts on N worker threads, with
// the same results as one thread: same verdict, counts, coverage, warnings
// and shortest trace. Level-synchronous: each level's frontier is cut into
// chunks, each searcher expanding a stripe of contiguous chunks at a time (the
// frontier is in shared memory, so any searcher can take any chunk); the
// coordinator (this file, main thread) merges chunks in frontier order into
// the one seen-set (levelMerge.ts), which every searcher reads, and keeps each
// merged chunk's new states, sent already encoded and checked by the
// searcher that expanded it, in a block of the next frontier, in order
// (chunkVerdict.ts). The first event in the one-thread order ends
// the search; traces are rebuilt here from parent links (traceRebuild.ts),
// exactly as bfs.ts does. The initial states are handled here, as bfs.ts does.
// The main thread's searcher starts at once; a worker thread joins at a
// level's start once it has loaded the model (`joinNow`), given the codec ids
// made so far; the stored states it reads in the shared seen-set.
import type { AsyncCheckOptions } from '../bfs.ts';
import { checkAsync } from '../bfs.ts';
import { KlpError } from '../errors.ts';
import { fpHi, fpLo } from '../fingerprint.ts';
import { guardStep } from '../guardStep.ts';
import type { BoundHit, CheckResult, TraceStep, Violation } from '../result.ts';
import { searchResult } from '../searchResult.ts';
import { FingerprintSet, NO_PARENT } from '../seenSet.ts';
import type { Model } from '../spec.ts';
import { successorsOf } from '../successors.ts';
import { describe, fingerprintState, makeTrace, rebuildTrace, storedPath } from '../traceRebuild.ts';
import { ChunkStripes } from './chunkStripes.ts';
import { isBefore, LevelMerge, type Key, type MergeStop } from './levelMerge.ts';
import { WorkerPool } from './pool.ts';
import { PredicateScan, vacuityWarnings } from './predicateScan.ts';
import { type SeenDelta, SeenHandover } from './seenReader.ts';
import { type ChunkVerdict, chunkVerdict } from './chunkVerdict.ts';
import type { Expanded, ModelSource, SerialError, StateBlock, TableEntries, ToWorker } from './protocol.ts';
import { fromSerial } from './serialError.ts';

export interface ParallelCheckOptions extends Omit<AsyncCheckOptions, 'onStart'> {
  /** Worker threads; 1 (or less) runs the one-thread search of bfs.ts. */
  workers: number;
  /** How each worker builds the same model. */
  source: ModelSource;
  /** Workers to use (and leave running), e.g. one pool for many runs; default: `workers` new ones, closed at the end. */
  pool?: WorkerPool;
  /** Called with a handle whose `interrupt` ends the search, incomplete (SIGINT/SIGTERM). */
  onStart?: (run: { interrupt(signal: string): void }) => void;
  /** The first level at which worker threads may join (tests: a late join on a small model); default 1. */
  joinFrom?: number;
}

/**
 * A level is cut into about this many chunks per searcher, of at most
 * CHUNK_MAX states: small enough that the last chunks of a level (which the
 * others wait for at the level's end, and which the main thread's searcher
 * runs without answering anyone) are short, large enough that the messages
 * per chunk cost little.
 */
const CHUNKS_PER_SEARCHER = 16;
const CHUNK_MAX = 512;

/** The end of a level: nothing happened, or the first event in one-thread order. */
type Outcome =
  | { readonly kind: 'none' }
  | MergeStop
  | { readonly kind: 'new-invariant'; readonly key: Key; readonly invariant: number }
  | { readonly kind: 'new-error'; readonly key: Key; readonly error: SerialError };

export async function checkParallel<S>(model: Model<S>, options: ParallelCheckOptions): Promise<CheckResult<S>> {
  if ((options.workers <= 1 && options.pool === undefined) || model.constructionStopped === true) {
    const { workers: _w, source: _s, pool: _p, onStart, ...rest } = options;
    return checkAsync(model, { ...rest, ...(onStart !== undefined ? { onStart } : {}) });
  }
  const now = options.now ?? (() => performance.now());
  const started = options.startedAt ?? now();
  const control: { stop: BoundHit | undefined } = { stop: undefined };
  options.onStart?.({ interrupt: (signal) => (control.stop ??= { kind: 'interrupted', limit: 0, signal }) });
  // In shared memory: the worker threads' searchers read it (seenReader.ts).
  const seen = new FingerprintSet(1 << 16, true);
  /** Per worker thread, the seen-set's buffers handed to it so far (a joiner starts with none). */
  const handovers = new Map<number, SeenHandover>();
  const seenDelta = (w: number): SeenDelta | undefined => {
    if (w === 0) return undefined;
    let h = handovers.get(w);
    if (h === undefined) handovers.set(w, (h = new SeenHandover()));
    return h.delta(seen);
  };
  const invariants = model.invariants;
  const actionNames = [...new Set(model.actions.map((a) => a.action))];
  const nameIndex = model.actions.map((a) => actionNames.indexOf(a.action));
  const coveredGenerated = new Float64Array(actionNames.length);
  const coveredDistinct = new Float64Array(actionNames.length);
  const maxStates = options.maxStates ?? Infinity;
  const maxDepth = options.maxDepth ?? Infinity;
  const timeoutMs = options.timeoutMs ?? Infinity;
  const interval = options.progressIntervalMs ?? 3000;
  let nextProgress = started + interval;
  const reached = new Set<number>();
  let generated = 0;
  let depth = 0;
  let queueLeft = 0;
  /** Distinct states at the point the search ended (the seen-set may hold more, merged past it). */
  let seenSize = 0;

  const finish = (end: { violation?: Violation<S>; bound?: BoundHit }): CheckResult<S> =>
    searchResult({
      model,
      end,
      distinct: seenSize,
      generated,
      depth,
      queueLeft,
      elapsedMs: now() - started,
      seen,
      actionNames,
      coveredGenerated,
      coveredDistinct,
      warnings: (verdict) => (verdict === 'ok' || verdict === 'incomplete' ? vacuityWarnings(model, reached, verdict) : []),
    });


  const invariantViolation = (index: number, steps: TraceStep<S>[]): { violation: Violation<S> } => {
    const inv = invariants[index]!;
    const last = steps[steps.length - 1]!.state;
    const detail = guardStep(model, `the explanation of ${inv.name}`, last, () => inv.explain(last));
    return { violation: { kind: 'invariant', invariant: { name: inv.name, description: inv.description, ...(detail === undefined ? {} : { detail }) }, trace: makeTrace(model, steps) } };
  };

  const timedOut = (): boolean => now() - started > timeoutMs;
  const timeoutBound: BoundHit = { kind: 'timeout', limit: timeoutMs };
  if (timedOut()) return finish({ bound: timeoutBound });

  // Start the workers while the initial states are computed here.
  const own = options.pool === undefined;
  const pool = options.pool ?? new WorkerPool(options.workers);
  const loading = pool.load(options.source);
  loading.catch(() => undefined);
  try {
    // Initial states, exactly as bfs.ts.
    const inits = model.initStates(timeoutMs === Infinity ? undefined : timedOut);
    if (timeoutMs !== Infinity && timedOut()) return finish({ bound: timeoutBound });
    if (inits.length === 0) throw new KlpError('KLP104', `spec ${model.name} has no initial state`);
    const scan = new PredicateScan(model);
    const initIndices: number[] = [];
    const initIds: number[] = [];
    for (let i = 0; i < inits.length; i++) {
      const s = inits[i]!;
      generated++;
      const constraint = model.constraint;
      const inModel = constraint === undefined || guardStep(model, 'the constraint', s, () => constraint(s));
      if (inModel) {
        fingerprintState(model, s);
        const id = seen.add(fpHi, fpLo, NO_PARENT);
        seenSize = seen.size;
        if (id < 0) continue;
        depth = 1;
        initIndices.push(i);
        initIds.push(id);
      }
      scan.observe(s, 0);
      const taken = scan.take();
      if (taken.errors.length > 0) throw fromSerial(taken.errors[0]!.error);
      for (let h = 0; h < taken.hits.length; h += 2) reached.add(taken.hits[h]!);
      scan.close(reached);
      const bad = failingHere(model, s);
      if (bad >= 0) {
        queueLeft = initIds.length;
        return finish(invariantViolation(bad, [{ index: 1, action: undefined, state: s }]));
      }
    }
    // The main thread's searcher starts at once; a worker thread joins at the
    // first level's start after it has loaded the model (its start-up, some
    // 0.5 s, overlaps the search instead of delaying it).
    await loading;
    const active = [0];
    const joinFrom = options.joinFrom ?? 1;
    /** The codec ids made so far, for a searcher that joins later (witnesses as stored-state ids). */
    const made: { strings: TableEntries['strings']; records: { id: number; signature: string; parent: number; a: number; k: number }[]; values: TableEntries['values'] }[] = [];
    let blocks: StateBlock[] = [];
    const joinNow = (level: number): void => {
      if (level < joinFrom) return;
      for (const w of pool.joinable(active)) {
        active.push(w);
        if (level === 1) {
          pool.post(w, { t: 'inits', indices: Int32Array.from(initIndices), stored: seen.size, reached: [...reached] });
          continue;
        }
        const entries = made.map((e) => ({ strings: e.strings, values: e.values, records: e.records.map((r) => ({ id: r.id, signature: r.signature, path: fingerprintPath(seen, r.parent), a: r.a, k: r.k })) }));
        pool.post(w, { t: 'join', entries, blocks, stored: seen.size, reached: [...reached] });
      }
    };
    // The main thread's searcher reads the seen-set itself as its filter of stored states.
    pool.post(0, { t: 'seen', seen });
    pool.post(0, { t: 'inits', indices: Int32Array.from(initIndices), stored: seen.size, reached: [...reached] });
    joinNow(1);

    let ids: Int32Array = Int32Array.from(initIds);
    for (let level = 1; ids.length > 0; level++) {
      if (level >= maxDepth) {
        queueLeft = ids.length;
        return finish({ bound: { kind: 'max-depth', limit: maxDepth } });
      }
      if (level > 1) joinNow(level);
      const n = ids.length;
      const chunkSize = Math.max(16, Math.min(CHUNK_MAX, Math.ceil(n / (pool.size * CHUNKS_PER_SEARCHER))));
      const lm = new LevelMerge(ids, seen, chunkSize, model.checkDeadlock, maxStates);
      const levelFirstId = seen.size;
      const checked = await runLevel(pool, active, lm, n, chunkSize, seenDelta, () => {
        const t = now();
        if (t - started > timeoutMs) return timeoutBound;
        if (control.stop !== undefined) return control.stop;
        if (options.onProgress !== undefined && t >= nextProgress) {
          nextProgress = t + interval;
          options.onProgress({ generated: generated + lm.ordinal, distinct: seen.size, queueLeft: n - lm.lastParent - 1 + lm.nextIds.length, depth, elapsedMs: t - started });
        }
        return undefined;
      });
      const outcome = settle(lm, checked, reached);
      const stopKey = outcome.kind === 'none' ? undefined : outcome.key;
      const t = lm.tally(stopKey, nameIndex, actionNames.length);
      generated += t.generated;
      for (let i = 0; i < actionNames.length; i++) {
        coveredGenerated[i]! += t.coverageGenerated[i]!;
        coveredDistinct[i]! += t.coverageDistinct[i]!;
      }
      if (t.fresh > 0) depth = level + 1;
      seenSize = levelFirstId + t.fresh;
      queueLeft = n - t.parentsStarted + t.fresh;
      if (outcome.kind === 'none') {
        blocks = [];
        const entries: { from: number; table: TableEntries }[] = [];
        for (let c = 0; c < checked.owner.length; c++) {
          const done = checked.checked.get(c)!;
          if (done.block !== undefined) blocks.push(done.block);
          const table = done.table;
          if (table.strings.length > 0 || table.records.length > 0 || table.values.length > 0) {
            entries.push({ from: checked.owner[c]!, table });
            made.push({ strings: table.strings, values: table.values, records: table.records.map((r) => ({ id: r.id, signature: r.signature, parent: ids[r.p]!, a: r.a, k: r.k })) });
          }
        }
        const next: ToWorker = { t: 'next', blocks, entries, stored: seen.size, reached: [...reached] };
        for (const w of active) pool.post(w, next);
        ids = lm.nextIds.done();
        continue;
      }
      switch (outcome.kind) {
        case 'error':
        case 'new-error':
          throw fromSerial(outcome.error);
        case 'new-invariant':
          queueLeft--;
          return finish(invariantViolation(outcome.invariant, rebuildTrace(model, seen, seenSize - 1)));
        case 'out-invariant': {
          const steps = rebuildTrace(model, seen, outcome.parentId);
          const action = model.actions[outcome.action]!;
          const state = successorsOf(action.next(steps[steps.length - 1]!.state))[outcome.k] as S;
          return finish(invariantViolation(outcome.invariant, [...steps, { index: level + 1, action: describe(action), state }]));
        }
        case 'deadlock':
          return finish({ violation: { kind: 'deadlock', trace: makeTrace(model, rebuildTrace(model, seen, outcome.parentId)) } });
        case 'max-states':
          return finish({ bound: { kind: 'max-states', limit: maxStates } });
        case 'bound':
          return finish({ bound: control.stop ?? timeoutBound });
      }
    }
    queueLeft = 0;
    seenSize = seen.size;
    return finish({});
  } finally {
    if (own) await pool.close();
    else await loading.catch(() => undefined);
  }
}

/** The fingerprints, (hi, lo) pairs, of the stored states from an initial state to `id`. */
function fingerprintPath(seen: FingerprintSet, id: number): Int32Array {
  const ids = storedPath(seen, id);
  const path = new Int32Array(2 * ids.length);
  ids.forEach((at, i) => {
    path[2 * i] = seen.hiOf(at);
    path[2 * i + 1] = seen.loOf(at);
  });
  return path;
}

/** Index of the first invariant `s` violates, or -1 (bfs.ts's `failing`, without the vacuity part). */
function failingHere<S>(model: Model<S>, s: S): number {
  const invariants = model.invariants;
  for (let i = 0; i < invariants.length; i++) {
    const inv = invariants[i]!;
    if (!guardStep(model, `invariant ${inv.name}`, s, () => inv.holds(s))) return i;
  }
  return -1;
}

interface LevelChecks {
  readonly checked: Map<number, ChunkVerdict>;
  /** The worker that expanded each chunk. */
  readonly owner: number[];
  readonly hits: { readonly chunk: number; readonly hits: Int32Array; readonly errors: Expanded['predicateErrors'] }[];
}

/** Expands and merges one level; returns the verdicts on its chunks' new states. */
async function runLevel(
  pool: WorkerPool,
  active: readonly number[],
  lm: LevelMerge,
  n: number,
  chunkSize: number,
  seenDelta: (w: number) => SeenDelta | undefined,
  poll: () => BoundHit | undefined,
): Promise<LevelChecks> {
  const numChunks = Math.ceil(n / chunkSize);
  const buffered = new Map<number, Expanded>();
  const owner: number[] = [];
  const out: LevelChecks = { checked: new Map(), owner, hits: [] };
  let mergeNext = 0;
  let limit = numChunks;
  const stripes = new ChunkStripes(numChunks, active.length);
  const assign = (w: number): void => {
    if (lm.stop !== undefined) return;
    const c = stripes.take(active.indexOf(w), limit);
    if (c < 0) return;
    owner[c] = w;
    const delta = seenDelta(w);
    const to = Math.min(n, (c + 1) * chunkSize);
    pool.post(w, delta === undefined ? { t: 'expand', chunk: c, from: c * chunkSize, to } : { t: 'expand', chunk: c, from: c * chunkSize, to, seen: delta });
  };
  // Chunks in flight: one for the main thread's searcher (it runs a chunk to
  // its end before the coordinator hears from anyone), three per worker
  // thread, so that a worker thread still has work while the main thread
  // expands its own chunk.
  for (let round = 0; round < 3; round++) for (const w of active) if (round === 0 || w !== 0) assign(w);
  while (!(mergeNext >= limit || lm.stop !== undefined)) {
    const { worker, message: m } = await pool.next();
    buffered.set(m.chunk, m);
    assign(worker);
    while (lm.stop === undefined && mergeNext < limit) {
      const e = buffered.get(mergeNext);
      if (e === undefined) break;
      buffered.delete(mergeNext);
      const isNew = lm.merge(mergeNext, e);
      // Two lists of hits per chunk: the searcher's on states outside the CONSTRAINT, then the verdict's on the new states.
      out.hits.push({ chunk: mergeNext, hits: e.hits, errors: e.predicateErrors });
      const verdict = chunkVerdict(e, isNew);
      out.checked.set(mergeNext, verdict);
      out.hits.push({ chunk: mergeNext, hits: verdict.hits, errors: verdict.predicateErrors });
      if (verdict.failure !== undefined || verdict.error !== undefined) limit = Math.min(limit, mergeNext + 1);
      mergeNext++;
    }
    if (lm.stop === undefined) {
      const bound = poll();
      if (bound !== undefined) {
        lm.stop = { kind: 'bound', key: { p: lm.lastParent, s: Infinity } };
        limit = Math.min(limit, mergeNext);
      }
    }
  }
  return out;
}

/**
 * The level's outcome: the earliest event in one-thread order among the
 * merge's stop, the invariant verdicts on new states (chunkVerdict.ts), and cover or
 * premise errors that were real (the predicate had not held on an earlier
 * state). Records which predicates held before that point.
 */
function settle(lm: LevelMerge, checks: LevelChecks, reached: Set<number>): Outcome {
  let best: Outcome = lm.stop ?? { kind: 'none' };
  const earlier = (key: Key): boolean => best.kind === 'none' || isBefore(key, best.key);
  for (const [chunk, c] of checks.checked) {
    if (c.failure !== undefined) {
      const key = lm.keyOf(chunk, c.failure.ordinal);
      if (earlier(key)) best = { kind: 'new-invariant', key, invariant: c.failure.invariant };
    }
    if (c.error !== undefined) {
      const key = lm.keyOf(chunk, c.error.ordinal);
      if (earlier(key) || (best.kind !== 'none' && best.key.p === key.p && best.key.s === key.s)) best = { kind: 'new-error', key, error: c.error.error };
    }
  }
  // The first state on which each predicate held, this level.
  const firstHit = new Map<number, Key>();
  for (const h of checks.hits) {
    if (h.chunk >= lm.chunks.length) continue;
    for (let i = 0; i < h.hits.length; i += 2) {
      const key = lm.keyOf(h.chunk, h.hits[i + 1]!);
      const was = firstHit.get(h.hits[i]!);
      if (was === undefined || isBefore(key, was)) firstHit.set(h.hits[i]!, key);
    }
  }
  for (const h of checks.hits) {
    if (h.chunk >= lm.chunks.length) continue;
    for (const e of h.errors) {
      if (reached.has(e.predicate)) continue;
      const key = lm.keyOf(h.chunk, e.ordinal);
      const hit = firstHit.get(e.predicate);
      if (hit !== undefined && isBefore(hit, key)) continue;
      // The state is scanned before its invariants are checked: a tie goes to the predicate.
      if (earlier(key) || (best.kind !== 'none' && best.key.p === key.p && best.key.s === key.s)) best = { kind: 'new-error', key, error: e.error };
    }
  }
  for (const [p, key] of firstHit) if (best.kind === 'none' || !isBefore(best.key, key)) reached.add(p);
  return best;
}
