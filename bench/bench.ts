// `npm run bench`: speed and memory of the engine on the benchmark models: the
// two the issue names, LamportMutex and Disruptor_MPMC (TLC 2.18 reference on
// this machine kind, one worker: about 25,000 and 12,000 distinct states/s), the
// sets-of-records model PaxosCommit, and two livepatch workloads. Prints
// figures; asserts nothing (tests never depend on machine speed).
//   npm run bench                 every model
//   npm run bench -- lamport      one model (substring of its name)
//   npm run bench -- --packed     pack every frontier state (as a large run does)
//   npm run bench -- --long       also the longer runs of LamportMutex and Disruptor_MPMC
//                                 (larger constants: 16 s and 35 s on one thread), which
//                                 show how a speedup with --workers grows with the search
// Memory: seen-set and packed-frontier bytes per distinct state, and peak RSS
// per distinct state (run one model per process for a clean RSS figure).
// `npm run bench` passes --max-semi-space-size=64 to node (set at run time it
// only partly applies), as the klpcheck binary does.
//   npm run bench -- --workers 2  also with 2 worker threads (--workers), and the speedup
//   npm run bench -- --workers 2 --warm
//                                 and the steady-state speedup: one thread run again in
//                                 the same process, and 2 searchers on a pool whose
//                                 worker threads already ran the model once (no start-up,
//                                 compiled code), as a long run spends most of its time
// Under each N-searcher run: its CPU (every thread of the process) against one
// thread's, and the cores each run kept busy; the speedup is the product of the
// two ratios (docs/performance.md, "What the CPU allows on two cores").

const { check } = await import('../src/engine/bfs.ts');
const { instantiate } = await import('../src/engine/spec.ts');
const { thousands, duration } = await import('../src/report/format.ts');
const { checkParallel } = await import('../src/engine/parallel/checkParallel.ts');
const { loadRecipe, recipeSource } = await import('../src/cli/workerModel.ts');
type ModelRecipe = import('../src/cli/workerModel.ts').ModelRecipe;
const { WorkerPool } = await import('../src/engine/parallel/pool.ts');
const { fileURLToPath } = await import('node:url');
const { availableParallelism } = await import('node:os');

interface Bench {
  name: string;
  file: string;
  /** TLC 2.18, one worker, on this machine kind (from the issue); 0 when there is no reference. */
  tlcDistinctPerSecond: number;
  /** Partial-order reduction (--por). */
  por?: boolean;
  /** Constants overridden, as `klpcheck check --const`. */
  consts?: readonly string[];
  /** Run only with --long. */
  long?: boolean;
}

const BENCHES: Bench[] = [
  { name: 'LamportMutex (N=3, maxClock=6)', file: '../specs/examples/lamport-mutex.ts', tlcDistinctPerSecond: 25_000 },
  { name: 'Disruptor_MPMC (MaxPublished=10)', file: '../specs/examples/disruptor-mpmc.ts', tlcDistinctPerSecond: 12_000 },
  // Sets of records. No one-worker TLC figure on this machine (tla2tools.jar cannot be fetched here); see docs/performance.md.
  { name: 'PaxosCommit (RM = {r1, r2}, 3 acceptors, Ballot = {0, 1})', file: '../specs/examples/paxos-commit.ts', tlcDistinctPerSecond: 0 },
  { name: 'livepatch S7 atomic replace (largest bundled scenario)', file: 'specs/livepatch/s7-atomic-replace.yaml', tlcDistinctPerSecond: 0 },
  { name: 'livepatch mixed workload (bench/specs)', file: 'bench/specs/mixed-workload.yaml', tlcDistinctPerSecond: 0 },
  { name: 'livepatch mixed workload, --por', file: 'bench/specs/mixed-workload.yaml', tlcDistinctPerSecond: 0, por: true },
  // The same two models made larger: how the speedup of several searchers grows with the length of the search
  // (docs/performance.md, "Against the length of the search"). No TLC reference for these constants.
  { name: 'LamportMutex, longer (N=3, MaxNat=8, maxClock=7)', file: '../specs/examples/lamport-mutex.ts', tlcDistinctPerSecond: 0, consts: ['MaxNat=8', 'maxClock=7'], long: true },
  { name: 'Disruptor_MPMC, longer (MaxPublished=40)', file: '../specs/examples/disruptor-mpmc.ts', tlcDistinctPerSecond: 0, consts: ['MaxPublished=40'], long: true },
];

/** The command line's recipe for a model (bench/specs and specs/livepatch paths are from the root). */
function recipeOf(b: Bench): ModelRecipe {
  return { spec: b.file.endsWith('.yaml') ? b.file : fileURLToPath(new URL(b.file, import.meta.url)), por: b.por === true, const: b.consts ?? [] };
}

/** Checks a TypeScript spec module or a livepatch scenario on one thread. */
async function run(b: Bench): Promise<{ verdict: string; stats: import('../src/engine/result.ts').RunStats }> {
  const options = packed ? { frontier: { liveStates: 0 } } : {};
  if (b.por === true || b.consts !== undefined) return check((await loadRecipe(recipeOf(b))).model, options);
  if (b.file.endsWith('.yaml')) {
    const { loadScenario } = await import('../src/spec/loadScenario.ts');
    const { livepatchSpec } = await import('../src/livepatch/model.ts');
    return check(instantiate(livepatchSpec(loadScenario(b.file))), options);
  }
  return check(instantiate(((await import(b.file)) as { default: Parameters<typeof instantiate>[0] }).default), options);
}

/** The same model through the command line's recipe, on `workers` threads. */
async function runWorkers(b: Bench, workers: number, pool?: InstanceType<typeof WorkerPool>): Promise<{ verdict: string; stats: import('../src/engine/result.ts').RunStats }> {
  const recipe = recipeOf(b);
  return checkParallel((await loadRecipe(recipe)).model, { workers, source: recipeSource(recipe), ...(pool !== undefined ? { pool } : {}) });
}

/** The speedup of `workers` searchers once started and compiled: both runs repeated in warm threads. */
async function steadyState(b: Bench): Promise<void> {
  const one = await measured(() => run(b));
  const pool = new WorkerPool(workers);
  try {
    await runWorkers(b, workers, pool);
    const p = await measured(() => runWorkers(b, workers, pool));
    const same = sameFigures(p.result, one.result);
    console.log(`  warm: one thread ${duration(one.result.stats.elapsedMs)}, ${workers} workers ${duration(p.result.stats.elapsedMs)}, speedup x${(one.result.stats.elapsedMs / p.result.stats.elapsedMs).toFixed(2)}${same ? ' (same figures)' : ' (FIGURES DIFFER)'}`);
    console.log(`        ${cpuSplit(one, p)}`);
  } finally {
    await pool.close();
  }
}

type Run = Awaited<ReturnType<typeof run>>;

/** Whether N searchers gave one thread's figures (the tests check whole results; this is the bench's own check). */
function sameFigures(a: Run, b: Run): boolean {
  return a.verdict === b.verdict && a.stats.distinct === b.stats.distinct && a.stats.generated === b.stats.generated && a.stats.depth === b.stats.depth;
}

interface Measured<T> {
  readonly result: T;
  /** CPU seconds of every thread of the process, and wall seconds, of the whole call. */
  readonly cpu: number;
  readonly wall: number;
}

async function measured<T>(f: () => Promise<T>): Promise<Measured<T>> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await f();
  const c = process.cpuUsage(c0);
  return { result, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
}

/**
 * Where a speedup goes on this machine: the searchers' CPU against one
 * thread's, and how many cores each run kept busy (CPU / wall of the whole
 * call; one thread keeps more than one busy with V8's compiler and collector
 * threads). speedup = (cores busy with N / cores busy with one) x (one thread's
 * CPU / N searchers' CPU).
 */
function cpuSplit(one: Measured<unknown>, p: Measured<unknown>): string {
  const cores = Math.min(workers, availableParallelism());
  return `CPU ${p.cpu.toFixed(2)} s = x${(p.cpu / one.cpu).toFixed(2)} one thread's (${one.cpu.toFixed(2)} s); cores busy ${(p.cpu / p.wall).toFixed(2)} of ${cores} (one thread ${(one.cpu / one.wall).toFixed(2)})`;
}

const args = process.argv.slice(2);
const packed = args.includes('--packed');
const warm = args.includes('--warm');
const long = args.includes('--long');
const w = args.indexOf('--workers');
const workers = w >= 0 ? Number(args[w + 1]) : 1;
/** A bad flag: one line and exit code 2, as the command line does. */
function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
const FLAGS = ['--packed', '--warm', '--long', '--workers'];
const unknown = args.find((a) => a.startsWith('--') && !FLAGS.includes(a));
if (unknown !== undefined) usage(`unknown flag ${unknown} (known: ${FLAGS.join(', ')})`);
if (!Number.isInteger(workers) || workers < 1) usage('--workers takes a whole number, 1 or more');
if (warm && workers < 2) usage('--warm compares with several searchers: give --workers 2 (or more) too');
const filter = args.filter((a, i) => !a.startsWith('--') && (w < 0 || i !== w + 1))[0]?.toLowerCase();
for (const b of BENCHES.filter((x) => (long || x.long !== true) && (filter === undefined || x.name.toLowerCase().includes(filter)))) {
  const one = await measured(() => run(b));
  const r = one.result;
  const cpuSec = one.cpu;
  const s = r.stats;
  const sec = s.elapsedMs / 1000;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(`${b.name}: ${r.verdict}`);
  console.log(`  distinct ${thousands(s.distinct)}, generated ${thousands(s.generated)}, depth ${s.depth}, time ${duration(s.elapsedMs)}, CPU ${cpuSec.toFixed(1)}s (all threads)`);
  const tlc = b.tlcDistinctPerSecond === 0 ? '' : `   (TLC 1 worker ~${thousands(b.tlcDistinctPerSecond)}, x${(s.distinct / sec / b.tlcDistinctPerSecond).toFixed(2)})`;
  console.log(`  distinct states/s  ${thousands(s.distinct / sec).padStart(9)}${tlc}`);
  console.log(`  generated states/s ${thousands(s.generated / sec).padStart(9)}`);
  // CPU time of all threads (GC helpers included): a fairer figure than wall time on a busy machine.
  console.log(`  CPU time           ${cpuSec.toFixed(1).padStart(9)} s (${thousands(s.distinct / cpuSec)} distinct per CPU second)`);
  console.log(`  seen-set           ${(s.seenSetBytes / s.distinct).toFixed(1).padStart(9)} bytes per distinct state (${(s.seenSetBytes / 2 ** 20).toFixed(1)} MiB)`);
  const f = s.frontier!;
  const frontier = f.packedStates === 0
    ? `peak ${thousands(f.peakStates)} states, held live (not packed)`
    : `${(f.packedBytes / f.packedStates).toFixed(1)} bytes per packed state, peak ${thousands(f.peakStates)} states = ${(f.peakPackedBytes / 2 ** 20).toFixed(1)} MiB (${(f.peakPackedBytes / s.distinct).toFixed(1)} bytes per distinct state), ${thousands(f.sharedRecords)} shared records`;
  console.log(`  frontier           ${frontier}`);
  console.log(`  peak RSS so far    ${(rss / 2 ** 20).toFixed(0).padStart(9)} MiB (${thousands(rss / s.distinct)} bytes per distinct state)`);
  if (workers > 1) {
    const pm = await measured(() => runWorkers(b, workers));
    const p = pm.result;
    const same = sameFigures(p, r);
    console.log(`  ${workers} workers: time ${duration(p.stats.elapsedMs)}, distinct states/s ${thousands(p.stats.distinct / (p.stats.elapsedMs / 1000))}, speedup x${(s.elapsedMs / p.stats.elapsedMs).toFixed(2)}${same ? ' (same figures)' : ' (FIGURES DIFFER)'}`);
    console.log(`    ${cpuSplit(one, pm)}`);
    if (warm) await steadyState(b);
  }
}
