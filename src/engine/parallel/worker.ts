// A search worker (worker_threads). It loads the model itself from the
// ModelSource in workerData, holds the whole current frontier as real states
// (in global order), and on request expands a chunk of it: per successor its
// fingerprint, action index and CONSTRAINT flag (with the invariants checked
// on states outside the CONSTRAINT, as the one-thread search does). When the
// coordinator says which of a chunk's successors are new, it checks the
// invariants on those (and scans cover goals and premises) and keeps them for
// the next frontier. The next frontier is assembled from the worker's own new
// states and, for the others', by re-running the one action that produced
// them on their parent: states never cross threads.
import { parentPort } from 'node:worker_threads';
import { evalError, firstFailing } from '../guardStep.ts';
import { fpHi, fpLo } from '../fingerprint.ts';
import { FingerprintSet } from '../seenSet.ts';
import type { Model } from '../spec.ts';
import { successorsOf } from '../successors.ts';
import { fingerprintState } from '../traceRebuild.ts';
import { PredicateScan } from './predicateScan.ts';
import { IN_MODEL, OUT_OK, type Checked, type Expanded, type ExpandError, type FromWorker, type ModelSource, type ToWorker } from './protocol.ts';
import { toSerial } from './serialError.ts';
import { Int32Buffer } from '../int32Buffer.ts';

const port = parentPort;
if (port === null) throw new Error('worker.ts runs in a worker thread');
const send = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

let model: Model<unknown>;

/** Builds the model from its source; each load replaces the previous model (a pool serves several runs). */
async function load(source: ModelSource): Promise<void> {
  try {
    const loader = (await import(source.loader)) as { loadModel(data: unknown): Promise<Model<unknown>> };
    model = await loader.loadModel(source.data);
  } catch (e) {
    send({ t: 'failed', error: toSerial(e) });
    return;
  }
  frontier = [];
  pending.clear();
  kept.clear();
  known = new FingerprintSet();
  outScan = new PredicateScan(model);
  newScan = new PredicateScan(model);
  send({ t: 'ready' });
}

let frontier: unknown[] = [];
/**
 * Per chunk expanded and not yet judged: its first parent, successors per
 * parent, action per successor, and the successors that may be new. A
 * successor whose fingerprint this worker has met before (a state stored in
 * an earlier level, or one it generated earlier in this one) cannot be new,
 * so it is dropped at once and dies young, as in the one-thread search.
 */
const pending = new Map<number, { from: number; counts: Int32Array; actions: Int32Array; maybeNew: unknown[]; maybeAt: Int32Array }>();
/** Fingerprints of every state stored in earlier levels and every successor this worker generated. */
let known = new FingerprintSet();
/** Per chunk judged: its new states, in order. */
const kept = new Map<number, unknown[]>();
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
  const maybeNew: unknown[] = [];
  const maybeAt = new Int32Buffer();
  let error: ExpandError | undefined;
  let parents = 0;
  let o = 0;
  outer: for (let p = from; p < to; p++) {
    const s = frontier[p];
    parents++;
    let m = 0;
    for (let a = 0; a < actions.length; a++) {
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
        flags.push(IN_MODEL);
        if (known.add(fpHi, fpLo, 0) >= 0) {
          maybeNew.push(t);
          maybeAt.push(o);
        }
        o++;
        m++;
      }
    }
    counts[p - from] = m;
  }
  const scanned = outScan.take();
  const msg: Expanded = {
    t: 'expanded',
    chunk,
    counts: counts.slice(0, parents),
    size: o,
    fps: fps.done(),
    actions: acts.done(),
    flags: flags.done(),
    hits: scanned.hits,
    predicateErrors: scanned.errors,
    error,
  };
  pending.set(chunk, { from, counts: msg.counts.slice(), actions: msg.actions.slice(), maybeNew, maybeAt: maybeAt.done() });
  send(msg, [msg.counts.buffer as ArrayBuffer, msg.fps.buffer as ArrayBuffer, msg.actions.buffer as ArrayBuffer, msg.flags.buffer as ArrayBuffer, msg.hits.buffer as ArrayBuffer]);
}

function judge(chunk: number, isNew: Uint8Array): void {
  const done = pending.get(chunk)!;
  pending.delete(chunk);
  const fresh: unknown[] = [];
  let failure: Checked['failure'];
  let error: Checked['error'];
  const { from, counts, actions, maybeNew, maybeAt } = done;
  let m = 0;
  let o = 0;
  outer: for (let j = 0; j < counts.length; j++) {
    let lastA = -1;
    let k = 0;
    let out: readonly unknown[] | undefined;
    for (let i = 0; i < counts[j]!; i++, o++) {
      const a = actions[o]!;
      if (a !== lastA) {
        k = 0;
        lastA = a;
        out = undefined;
      } else k++;
      if (isNew[o] !== 1) continue;
      // Kept unless dropped as known; else computed again (actions are pure, as trace replay assumes).
      while (m < maybeAt.length && maybeAt[m]! < o) m++;
      let t: unknown;
      if (m < maybeAt.length && maybeAt[m] === o) t = maybeNew[m];
      else {
        out ??= successorsOf(model.actions[a]!.next(frontier[from + j]));
        t = out[k];
      }
      newScan.observe(t, o);
      let bad: number;
      try {
        bad = failing(t);
      } catch (e) {
        error = { ordinal: o, error: toSerial(e) };
        break outer;
      }
      if (bad >= 0) {
        failure = { ordinal: o, invariant: bad };
        break outer;
      }
      fresh.push(t);
    }
  }
  kept.set(chunk, fresh);
  const scanned = newScan.take();
  const msg: Checked = { t: 'checked', chunk, failure, error, hits: scanned.hits, predicateErrors: scanned.errors };
  send(msg, [msg.hits.buffer as ArrayBuffer]);
}

function nextFrontier(chunkSize: number, parents: Int32Array, actions: Int32Array, ks: Int32Array, fps: Int32Array): void {
  for (let j = 0; j < parents.length; j++) known.add(fps[2 * j]!, fps[2 * j + 1]!, 0);
  const next: unknown[] = new Array(parents.length);
  const cursor = new Map<number, number>();
  for (let j = 0; j < parents.length; j++) {
    const p = parents[j]!;
    const c = Math.floor(p / chunkSize);
    const mine = kept.get(c);
    if (mine !== undefined) {
      const at = cursor.get(c) ?? 0;
      cursor.set(c, at + 1);
      next[j] = mine[at];
    } else {
      const action = model.actions[actions[j]!]!;
      next[j] = successorsOf(action.next(frontier[p]))[ks[j]!];
    }
  }
  frontier = next;
  kept.clear();
  pending.clear();
}

port.on('message', (m: ToWorker) => {
  try {
    switch (m.t) {
      case 'load':
        void load(m.source);
        break;
      case 'inits': {
        const inits = model.initStates();
        frontier = Array.from(m.indices, (i) => inits[i]);
        break;
      }
      case 'expand':
        expand(m.chunk, m.from, m.to);
        break;
      case 'verdicts':
        judge(m.chunk, m.isNew);
        break;
      case 'next':
        nextFrontier(m.chunkSize, m.parents, m.actions, m.ks, m.fps);
        break;
    }
  } catch (e) {
    send({ t: 'failed', error: toSerial(e) });
  }
});
