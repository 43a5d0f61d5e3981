// `npm run bench`: speed and memory of the engine on the two benchmark models
// the issue names, LamportMutex and Disruptor_MPMC (TLC 2.18 reference on this
// machine kind, one worker: about 25,000 and 12,000 distinct states/s). Prints
// figures; asserts nothing (tests never depend on machine speed).
//   npm run bench                 both models
//   npm run bench -- lamport      one model (substring of its name)
//   npm run bench -- --workers 2  also with 2 worker threads (--workers), and the speedup
import v8 from 'node:v8';
v8.setFlagsFromString('--max-semi-space-size=64');

const { check } = await import('../src/engine/bfs.ts');
const { instantiate } = await import('../src/engine/spec.ts');
const { thousands, duration } = await import('../src/report/format.ts');
const { checkParallel } = await import('../src/engine/parallel/checkParallel.ts');
const { loadRecipe, recipeSource } = await import('../src/cli/workerModel.ts');
const { fileURLToPath } = await import('node:url');

interface Bench {
  name: string;
  file: string;
  /** TLC 2.18, one worker, on this machine kind (from the issue); 0 when there is no reference. */
  tlcDistinctPerSecond: number;
}

const BENCHES: Bench[] = [
  { name: 'LamportMutex (N=3, maxClock=6)', file: '../specs/examples/lamport-mutex.ts', tlcDistinctPerSecond: 25_000 },
  { name: 'Disruptor_MPMC (MaxPublished=10)', file: '../specs/examples/disruptor-mpmc.ts', tlcDistinctPerSecond: 12_000 },
  { name: 'livepatch S7 atomic replace (largest bundled scenario)', file: 'specs/livepatch/s7-atomic-replace.yaml', tlcDistinctPerSecond: 0 },
  { name: 'livepatch mixed workload (bench/specs)', file: 'bench/specs/mixed-workload.yaml', tlcDistinctPerSecond: 0 },
];

/** Checks a TypeScript spec module or a livepatch scenario with its defaults. */
async function run(file: string): Promise<{ verdict: string; stats: import('../src/engine/result.ts').RunStats }> {
  if (file.endsWith('.yaml')) {
    const { loadScenario } = await import('../src/spec/loadScenario.ts');
    const { livepatchSpec } = await import('../src/livepatch/model.ts');
    return check(instantiate(livepatchSpec(loadScenario(file))));
  }
  return check(instantiate(((await import(file)) as { default: Parameters<typeof instantiate>[0] }).default));
}

/** The same model through the command line's recipe, on `workers` threads (bench/specs and specs/livepatch paths are from the root). */
async function runWorkers(file: string, workers: number): Promise<{ verdict: string; stats: import('../src/engine/result.ts').RunStats }> {
  const recipe = { spec: file.endsWith('.yaml') ? file : fileURLToPath(new URL(file, import.meta.url)) };
  return checkParallel((await loadRecipe(recipe)).model, { workers, source: recipeSource(recipe) });
}

function cpuSeconds(u: NodeJS.CpuUsage): string {
  return `${((u.user + u.system) / 1e6).toFixed(1)}s`;
}

const args = process.argv.slice(2);
const w = args.indexOf('--workers');
const workers = w >= 0 ? Number(args[w + 1]) : 1;
if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers takes a whole number, 1 or more');
const filter = args.filter((a, i) => !a.startsWith('--') && (w < 0 || i !== w + 1))[0]?.toLowerCase();
for (const b of BENCHES.filter((x) => filter === undefined || x.name.toLowerCase().includes(filter))) {
  const cpu0 = process.cpuUsage();
  const r = await run(b.file);
  const cpu1 = process.cpuUsage(cpu0);
  const s = r.stats;
  const sec = s.elapsedMs / 1000;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(`${b.name}: ${r.verdict}`);
  console.log(`  distinct ${thousands(s.distinct)}, generated ${thousands(s.generated)}, depth ${s.depth}, time ${duration(s.elapsedMs)}, CPU ${cpuSeconds(cpu1)} (all threads)`);
  const tlc = b.tlcDistinctPerSecond === 0 ? '' : `   (TLC 1 worker ~${thousands(b.tlcDistinctPerSecond)}, x${(s.distinct / sec / b.tlcDistinctPerSecond).toFixed(2)})`;
  console.log(`  distinct states/s  ${thousands(s.distinct / sec).padStart(9)}${tlc}`);
  console.log(`  generated states/s ${thousands(s.generated / sec).padStart(9)}`);
  console.log(`  seen-set           ${(s.seenSetBytes / s.distinct).toFixed(1).padStart(9)} bytes per distinct state (${(s.seenSetBytes / 2 ** 20).toFixed(1)} MiB)`);
  console.log(`  peak RSS so far    ${(rss / 2 ** 20).toFixed(0).padStart(9)} MiB`);
  if (workers > 1) {
    const cpu2 = process.cpuUsage();
    const p = await runWorkers(b.file, workers);
    const cpu3 = process.cpuUsage(cpu2);
    const same = p.verdict === r.verdict && p.stats.distinct === s.distinct && p.stats.generated === s.generated && p.stats.depth === s.depth;
    console.log(`  ${workers} workers: time ${duration(p.stats.elapsedMs)}, distinct states/s ${thousands(p.stats.distinct / (p.stats.elapsedMs / 1000))}, speedup x${(s.elapsedMs / p.stats.elapsedMs).toFixed(2)}, CPU ${cpuSeconds(cpu3)}${same ? ' (same figures)' : ' (FIGURES DIFFER)'}`);
  }
}
