// The searchers of parallel searches: searcher 0 on the main thread, beside
// the coordinator (it needs no V8 instance of its own, no start-up, and the
// main thread would otherwise mostly wait), the others in worker threads
// started from boot.js. Given a model with `load` (a pool can serve several
// runs, as the tests do), each answers in order. `next()` yields the next
// message from any searcher; one that fails (cannot load the model, or
// crashes) makes it throw. `close()` terminates them all.
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

  /** Makes every worker build the model from `source`; messages of an earlier run still queued are dropped. */
  async load(source: ModelSource): Promise<void> {
    this.workers.forEach((w, slot) => w.postMessage({ t: 'load', source, slot, stride: this.workers.length } satisfies ToWorker));
    let ready = 0;
    while (ready < this.workers.length) {
      const a = await this.take();
      if (a.message.t === 'ready') ready++;
      else if (a.message.t === 'failed') throw fromSerial(a.message.error);
    }
  }

  post(worker: number, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.workers[worker]!.postMessage(m, transfer);
  }

  broadcast(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /** The next message from any worker, in arrival order. */
  async next(): Promise<Arrival> {
    const a = await this.take();
    if (a.message.t === 'failed') throw fromSerial(a.message.error);
    if (a.message.t === 'ready') throw new Error('internal: a worker was ready in the middle of a search');
    return { worker: a.worker, message: a.message };
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
