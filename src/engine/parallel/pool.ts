// The searchers of parallel searches: searcher 0 on the main thread, beside
// the coordinator (it needs no V8 instance of its own, no start-up, and the
// main thread would otherwise mostly wait), the others in worker threads
// started from boot.js. Given a model with `load` (a pool can serve several
// runs, as the tests do), each answers in order; `load` returns once the main
// thread's searcher has the model, and `joinable` lists the worker threads
// that have it since (they join the search late: checkParallel.ts). `next()`
// yields the next message from any searcher; one that fails (cannot load the
// model, or crashes) makes it throw. `close()` terminates them all.
import v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { FromWorker, ModelSource, ToWorker } from './protocol.ts';
import { searchWorker } from './searchWorker.ts';
import { fromSerial } from './serialError.ts';

/**
 * Young generation of each worker, as the main thread's (`--max-semi-space-size=64`,
 * docs/performance.md). A worker's isolate starts with small semi-spaces and,
 * the search's successors dying young, never grows them: seven times as many
 * scavenges. V8 reads the flag when an isolate is made, so setting it here
 * sizes the workers (made below) and not the running main thread.
 */
const SEMI_SPACE_MB = 64;
const YOUNG_MB = 3 * SEMI_SPACE_MB;

export interface Arrival {
  readonly worker: number;
  readonly message: Exclude<FromWorker, { t: 'ready' } | { t: 'failed' }>;
}

/** What the pool posts to: a worker thread, or the searcher on the main thread. */
interface Searcher {
  postMessage(m: ToWorker, transfer?: ArrayBuffer[]): void;
  terminate(): Promise<unknown>;
}

/**
 * The searcher on the main thread: each message is handled in its own turn
 * of the event loop (setImmediate keeps them in order), so the coordinator
 * and the worker threads' messages are served between two chunks.
 */
class MainThreadSearcher implements Searcher {
  private readonly handle: (m: ToWorker) => void;

  constructor(push: (m: FromWorker) => void) {
    this.handle = searchWorker((m) => push(m));
  }

  postMessage(m: ToWorker): void {
    setImmediate(() => this.handle(m));
  }

  terminate(): Promise<void> {
    return Promise.resolve();
  }
}

export class WorkerPool {
  private readonly workers: Searcher[] = [];
  private readonly queue: ({ worker: number; message: FromWorker } | Error)[] = [];
  /** The current load, and the searchers that have answered it `ready`. */
  private run = 0;
  private readonly ready = new Set<number>();
  private wake: (() => void) | undefined;

  /** `n` searchers: the main thread's and n - 1 worker threads, started now; `load` gives them a model. */
  constructor(n: number) {
    v8.setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
    const url = new URL('./boot.js', import.meta.url);
    this.workers.push(new MainThreadSearcher((message) => this.push({ worker: 0, message })));
    for (let i = 1; i < n; i++) {
      const w = new Worker(url, { stdout: false, stderr: false, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } });
      w.on('message', (message: FromWorker) => this.push({ worker: i, message }));
      w.on('error', (e) => this.push(e));
      w.on('exit', (code) => {
        if (code !== 0) this.push(new Error(`internal: search worker ${i} exited with code ${code}`));
      });
      this.workers.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Makes every searcher build the model from `source`; resolves once the main
   * thread's has (the worker threads join when they are ready: `joinable`).
   * Messages of an earlier run still queued are dropped.
   */
  async load(source: ModelSource): Promise<void> {
    const run = ++this.run;
    this.ready.clear();
    this.workers.forEach((w, slot) => w.postMessage({ t: 'load', source, slot, stride: this.workers.length, run } satisfies ToWorker));
    while (!this.ready.has(0)) this.note(await this.take());
  }

  /** Worker threads that have loaded this run's model, other than `active`. */
  joinable(active: readonly number[]): number[] {
    return [...this.ready].filter((w) => !active.includes(w)).sort((a, b) => a - b);
  }

  /**
   * One answer: a search message of this run is returned; `ready` is noted;
   * `failed` is thrown. Answers of a run that has ended (a load a late worker
   * finished, a chunk still in flight when a search stopped) are dropped.
   */
  private note(a: { worker: number; message: FromWorker }): Arrival | undefined {
    const m = a.message;
    if (m.run !== undefined && m.run !== this.run) return undefined;
    if (m.t === 'ready') {
      this.ready.add(a.worker);
      return undefined;
    }
    if (m.t === 'failed') throw fromSerial(m.error);
    return { worker: a.worker, message: m };
  }

  post(worker: number, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.workers[worker]!.postMessage(m, transfer);
  }

  broadcast(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /** The next search message from any searcher, in arrival order (a worker thread becoming ready is noted on the way). */
  async next(): Promise<Arrival> {
    for (;;) {
      const arrival = this.note(await this.take());
      if (arrival !== undefined) return arrival;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async take(): Promise<{ worker: number; message: FromWorker }> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    const a = this.queue.shift()!;
    if (a instanceof Error) throw a;
    return a;
  }

  private push(a: { worker: number; message: FromWorker } | Error): void {
    this.queue.push(a);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
