// The search side of a parallel search, as a message handler: it loads the
// model itself from the ModelSource the pool sends, reads the current
// frontier (the initial states it computed, then blocks of encoded states in
// shared memory: every searcher reads every block) and on request expands a
// chunk of it: per successor its fingerprint, action index and a flag
// (inside the CONSTRAINT, KNOWN, or outside with its invariants' verdict, as
// the one-thread search checks them). A successor neither stored nor met
// earlier in the level is a candidate: encoded, its invariants checked and
// its open cover goals and premises scanned at once, and sent with the
// chunk; the coordinator keeps those it finds new (chunkVerdict.ts). The
// stored states it reads in the coordinator's seen-set: by reference on the
// main thread (`seen`), in shared memory in a worker thread (seenReader.ts).
// The searchers' codecs share one id space (stateCodec.ts): the ids each
// made are handed to the others with the next frontier (adoptIds.ts). Runs
// in a worker thread (worker.ts) or, for one of the searchers, on the main
// thread beside the coordinator (pool.ts).
import { evalError, firstFailing } from '../guardStep.ts';
import { fpHi, fpLo } from '../fingerprint.ts';
import { FingerprintSet } from '../seenSet.ts';
import type { AmpleOrder, Model } from '../spec.ts';
import { successorsOf } from '../successors.ts';
import { fingerprintState } from '../traceRebuild.ts';
import { adoptIds, replayFingerprints } from './adoptIds.ts';
import { PredicateScan } from './predicateScan.ts';
import {
  IN_MODEL, KNOWN, OUT_OK, THREW, type Expanded, type ExpandError, type FromWorker, type JoinEntries, type ModelSource, type RecordEntry, type SerialError, type StateBlock, type TableEntries, type ToWorker,
} from './protocol.ts';
import { toSerial } from './serialError.ts';
import { Int32Buffer } from '../int32Buffer.ts';
import { StateCodec } from '../stateCodec.ts';
import { SeenReader } from './seenReader.ts';
import { BlockWriter, SharedFrontier } from './sharedFrontier.ts';

/** Answers to the coordinator; typed arrays in `transfer` may be moved rather than copied. */
export type Send = (m: FromWorker, transfer?: ArrayBuffer[]) => void;

/** A searcher's state and its handler of the coordinator's messages. */
export function searchWorker(send: Send): (m: ToWorker) => void {
  let model: Model<unknown>;

  /** Builds the model from its source; each load replaces the previous model (a pool serves several runs). */
  async function load(source: ModelSource, slot: number, stride: number, run: number): Promise<void> {
    try {
      const loader = (await import(source.loader)) as { loadModel(data: unknown): Promise<Model<unknown>> };
      model = await loader.loadModel(source.data);
    } catch (e) {
      send({ t: 'failed', error: toSerial(e), run });
      return;
    }
    mySlot = slot;
    storedBefore = 0;
    witnesses = [];
    codec = new StateCodec(slot, stride);
    frontier = new SharedFrontier(codec);
    known = new FingerprintSet();
    reader = new SeenReader();
    stored = reader;
    outScan = new PredicateScan(model);
    newScan = new PredicateScan(model);
    loadedRun = run;
    send({ t: 'ready', run });
  }

  let mySlot = 0;
  /** The pool's run whose model is loaded: every answer carries it, so that one still in flight when its run ended is told apart. */
  let loadedRun = -1;
  /** The last load asked for, and the loads in progress (chained: one at a time). */
  let latestRun = -1;
  let loading: Promise<void> = Promise.resolve();
  let codec = new StateCodec();
  let frontier = new SharedFrontier(codec);
  /** Where each Record class id the codec made in the chunk being expanded was met: in successor k of action a of frontier state p. */
  let witnesses: { upTo: number; p: number; a: number; k: number }[] = [];
  /** Fingerprints of the successors this searcher generated in the current level. */
  let known = new FingerprintSet();
  /**
   * The coordinator's seen-set: every state stored so far, in earlier levels or in chunks of this
   * level already merged, so all at earlier positions than any chunk still being expanded. The
   * searcher on the main thread reads the set itself (`seen`); a worker thread reads it in shared
   * memory (seenReader.ts), given its buffers with the chunks to expand.
   */
  let reader = new SeenReader();
  let stored: { idOf(fpHi: number, fpLo: number): number } = reader;
  /** Ids of `stored` below this are the states stored before the current level (its frontier included). */
  let storedBefore = 0;
  /**
   * The ids each chunk this searcher expanded in this level added to `known`.
   * A searcher takes its chunks in frontier order except when it takes one
   * from the back of another's stripe (chunkStripes.ts): a successor met
   * before in a later chunk is not known to be old at an earlier position.
   */
  let levelRanges: { readonly start: number; readonly end: number; readonly chunk: number }[] = [];
  let outScan: PredicateScan<unknown>;
  let newScan: PredicateScan<unknown>;

  /** Index of the first invariant `s` violates, or -1. */
  function failing(s: unknown): number {
    return firstFailing(model, s);
  }

  function expand(chunk: number, from: number, to: number): void {
    const actions = model.actions;
    const constraint = model.constraint;
    const counts = new Int32Array(to - from);
    const fps = new Int32Buffer();
    const acts = new Int32Buffer();
    const flags = new Int32Buffer();
    // The candidates (successors that may be new), encoded at once and sent
    // with the chunk: kept as objects until the coordinator's verdict, they
    // would survive young-generation collections and be copied. Their
    // invariants are checked and their open predicates scanned at once too.
    const candidates = new BlockWriter();
    const ordinals = new Int32Buffer();
    const verdicts = new Int32Buffer();
    const errors: { ordinal: number; error: SerialError }[] = [];
    let error: ExpandError | undefined;
    let parents = 0;
    let o = 0;
    const rangeStart = known.size;
    const later = levelRanges.filter((r) => r.chunk > chunk);
    outer: for (let p = from; p < to; p++) {
      const s = frontier.at(p);
      parents++;
      let m = 0;
      // Partial-order reduction, as bfs.ts: the ample set first; the rest only if it gave
      // nothing, or (unless the spec proves C3) a successor was stored before this level.
      let ample: AmpleOrder | undefined;
      try {
        ample = model.ample?.(s);
      } catch (e) {
        error = { ordinal: o, during: false, error: toSerial(e) };
        counts[p - from] = m;
        break outer;
      }
      let forward = true;
      for (let j = 0; j < actions.length; j++) {
        if (j === ample?.size && m > 0 && (forward || ample.cycleFree)) break;
        const a = ample === undefined ? j : ample.order[j]!;
        const action = actions[a]!;
        let out: readonly unknown[];
        try {
          out = successorsOf(action.next(s));
        } catch (e) {
          error = { ordinal: o, during: false, error: toSerial(evalError(model, `action ${action.label}`, s, e)) };
          counts[p - from] = m;
          break outer;
        }
        for (let k = 0; k < out.length; k++) {
          const t = out[k];
          try {
            if (constraint !== undefined && !constraint(t)) {
              outScan.observe(t, o);
              const bad = failing(t);
              fps.push(0);
              fps.push(0);
              acts.push(a);
              flags.push(bad >= 0 ? bad : OUT_OK);
              o++;
              m++;
              if (bad >= 0) {
                counts[p - from] = m;
                break outer;
              }
              forward = false;
              continue;
            }
            fingerprintState(model, t);
          } catch (e) {
            const what = constraint !== undefined ? 'the constraint' : 'a state';
            error = { ordinal: o, during: true, error: toSerial(evalError(model, what, t, e)) };
            counts[p - from] = m;
            break outer;
          }
          fps.push(fpHi);
          fps.push(fpLo);
          acts.push(a);
          // Stored: old, and stored before this level if its id says so; else met before in this level?
          const storedId = stored.idOf(fpHi, fpLo);
          const old = storedId >= 0 || (known.add(fpHi, fpLo, 0) < 0 && (later.length === 0 || !inRanges(later, known.idOf(fpHi, fpLo))));
          flags.push(old ? KNOWN : IN_MODEL);
          if (old) {
            if (ample !== undefined && !ample.cycleFree && storedId >= 0 && storedId < storedBefore) forward = false;
          } else {
            const before = codec.pendingRecords;
            candidates.push(codec.encode(t));
            if (codec.pendingRecords > before) witnesses.push({ upTo: codec.pendingRecords, p, a, k });
            ordinals.push(o);
            // Scanned before its invariants are checked, as bfs.ts does.
            newScan.observe(t, o);
            let bad: number;
            try {
              bad = failing(t);
            } catch (e) {
              errors.push({ ordinal: o, error: toSerial(e) });
              bad = THREW;
            }
            verdicts.push(bad);
          }
          o++;
          m++;
        }
      }
      counts[p - from] = m;
    }
    levelRanges.push({ start: rangeStart, end: known.size, chunk });
    const scanned = outScan.take();
    const candidateScan = newScan.take();
    const packed = candidates.take();
    const msg: Expanded = {
      t: 'expanded',
      run: loadedRun,
      chunk,
      counts: counts.slice(0, parents),
      size: o,
      fps: fps.done(),
      actions: acts.done(),
      flags: flags.done(),
      hits: scanned.hits,
      predicateErrors: scanned.errors,
      error,
      candidates: { bytes: packed.bytes, offsets: packed.offsets, ordinals: ordinals.done(), bad: verdicts.done(), errors, hits: candidateScan.hits, predicateErrors: candidateScan.errors },
      table: madeIds(),
    };
    const c = msg.candidates;
    send(msg, [msg.counts, msg.fps, msg.actions, msg.flags, msg.hits, c.bytes, c.offsets, c.ordinals, c.bad, c.hits].map((a) => a.buffer as ArrayBuffer));
  }

  /** The codec ids made since the last call, each Record class with its witness (a successor that holds one). */
  function madeIds(): TableEntries {
    const made = codec.takeEntries();
    let w = 0;
    const records: RecordEntry[] = made.records.map((r, i) => {
      while (witnesses[w]!.upTo <= i) w++;
      const { p, a, k } = witnesses[w]!;
      return { ...r, p, a, k };
    });
    witnesses = [];
    return { strings: made.strings, records, values: made.values };
  }

  /**
   * The next level: first the ids the other workers' codecs made (a Record
   * class found in its witness, a successor of this level's frontier), then the
   * new blocks; `storedNow` states are stored before it (the seen-set may
   * already hold some of the new level's, merged before this message was handled).
   */
  function nextFrontier(blocks: readonly StateBlock[], entries: readonly { readonly from: number; readonly table: TableEntries }[], storedNow: number, reached: readonly number[]): void {
    for (const { from, table } of entries) if (from !== mySlot) adoptIds(model, codec, table, (r) => frontier.at(r.p));
    frontier.setBlocks(blocks);
    startLevel(storedNow, reached);
  }

  /**
   * Joining a search already under way, at a level's start: every codec id
   * made so far (a Record class found in the successor its witness names,
   * the witness's parent rebuilt from its fingerprint path), then the level's
   * frontier. The stored states it reads in the seen-set, whose buffers come
   * with its first chunk.
   */
  function join(entries: readonly JoinEntries[], blocks: readonly StateBlock[], storedNow: number, reached: readonly number[]): void {
    for (const e of entries) adoptIds(model, codec, e, (r) => replayFingerprints(model, r.path));
    frontier.setBlocks(blocks);
    startLevel(storedNow, reached);
  }

  /**
   * A level starts with `storedNow` states stored before it (the proviso's bound), an empty set of what
   * this searcher generates, and the predicates that have held so far no longer scanned for.
   */
  function startLevel(storedNow: number, reached: readonly number[]): void {
    outScan.close(reached);
    newScan.close(reached);
    storedBefore = storedNow;
    reader.settledBelow = storedNow;
    known = new FingerprintSet();
    levelRanges = [];
  }

  /** True when `id` is in one of `ranges`. */
  function inRanges(ranges: readonly { readonly start: number; readonly end: number }[], id: number): boolean {
    for (const r of ranges) if (id >= r.start && id < r.end) return true;
    return false;
  }

  return (m: ToWorker): void => {
    try {
      switch (m.t) {
        case 'load':
          // One load at a time, in order: a worker thread still loading an earlier run's model when the next run starts.
          latestRun = m.run;
          loading = loading.then(() => (m.run === latestRun ? load(m.source, m.slot, m.stride, m.run) : undefined));
          break;
        case 'join':
          join(m.entries, m.blocks, m.stored, m.reached);
          break;
        case 'inits': {
          const inits = model.initStates();
          const level = Array.from(m.indices, (i) => inits[i]);
          frontier.setObjects(level);
          // m.stored states (the initial ones) are stored before level 1: the cycle proviso's bound.
          startLevel(m.stored, m.reached);
          break;
        }
        case 'expand':
          if (m.seen !== undefined) reader.apply(m.seen);
          expand(m.chunk, m.from, m.to);
          break;
        case 'seen':
          stored = m.seen;
          break;
        case 'next':
          nextFrontier(m.blocks, m.entries, m.stored, m.reached);
          break;
      }
    } catch (e) {
      const error = toSerial(e);
      send(loadedRun < 0 ? { t: 'failed', error } : { t: 'failed', error, run: loadedRun });
    }
  };
}
