// The worker threads of one parallel search: started from boot.js with the
// model source, each answering in order. `next()` yields the next message
// from any worker; a worker that fails (cannot load the model, or crashes)
// makes it throw. `close()` terminates them all.
import { Worker } from 'node:worker_threads';
import type { FromWorker, ModelSource, ToWorker } from './protocol.ts';
import { fromSerial } from './serialError.ts';

export interface Arrival {
  readonly worker: number;
  readonly message: Exclude<FromWorker, { t: 'ready' } | { t: 'failed' }>;
}

export class WorkerPool {
  private readonly workers: Worker[];
  private readonly queue: (Arrival | Error)[] = [];
  private wake: (() => void) | undefined;

  private constructor(workers: Worker[]) {
    this.workers = workers;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Starts `n` workers and waits until each has loaded the model. */
  static async start(n: number, source: ModelSource): Promise<WorkerPool> {
    const url = new URL('./boot.js', import.meta.url);
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    let pool: WorkerPool | undefined;
    const early: (Arrival | Error)[] = [];
    for (let i = 0; i < n; i++) {
      // The young generation as the main thread's (bin/klpcheck.js): a search allocates millions of short-lived states.
      const w = new Worker(url, { workerData: { source }, resourceLimits: { maxYoungGenerationSizeMb: Number(process.env.KLP_YG ?? 192) }, stdout: false, stderr: false });
      workers.push(w);
      ready.push(
        new Promise<void>((resolve, reject) => {
          let up = false;
          w.on('message', (m: FromWorker) => {
            if (m.t === 'ready') {
              up = true;
              resolve();
            } else if (m.t === 'failed') {
              const e = fromSerial(m.error);
              if (!up) reject(e);
              else (pool ? pool.push(e) : early.push(e));
            } else (pool ? pool.push({ worker: i, message: m }) : early.push({ worker: i, message: m }));
          });
          w.on('error', (e) => (up && pool ? pool.push(e) : reject(e)));
          w.on('exit', (code) => {
            if (code !== 0 && !up) reject(new Error(`internal: search worker exited with code ${code}`));
          });
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    pool = new WorkerPool(workers);
    for (const a of early) pool.push(a);
    return pool;
  }

  post(worker: number, m: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.workers[worker]!.postMessage(m, transfer);
  }

  broadcast(m: ToWorker): void {
    for (const w of this.workers) w.postMessage(m);
  }

  /** The next message from any worker, in arrival order. */
  async next(): Promise<Arrival> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    const a = this.queue.shift()!;
    if (a instanceof Error) throw a;
    return a;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private push(a: Arrival | Error): void {
    this.queue.push(a);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
