// `npm run bench`: speed and memory of the engine on the two benchmark models
// the issue names, LamportMutex and Disruptor_MPMC (TLC 2.18 reference on this
// machine kind, one worker: about 25,000 and 12,000 distinct states/s). Prints
// figures; asserts nothing (tests never depend on machine speed).
//   npm run bench                 both models
//   npm run bench -- lamport      one model (substring of its name)
//   npm run bench -- --packed     pack every frontier state (as a large run does)
// Memory: seen-set and packed-frontier bytes per distinct state, and peak RSS
// per distinct state (run one model per process for a clean RSS figure).
import v8 from 'node:v8';
v8.setFlagsFromString('--max-semi-space-size=64');

const { check } = await import('../src/engine/bfs.ts');
const { instantiate } = await import('../src/engine/spec.ts');
const { thousands, duration } = await import('../src/report/format.ts');

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
  const options = packed ? { frontier: { liveStates: 0 } } : {};
  if (file.endsWith('.yaml')) {
    const { loadScenario } = await import('../src/spec/loadScenario.ts');
    const { livepatchSpec } = await import('../src/livepatch/model.ts');
    return check(instantiate(livepatchSpec(loadScenario(file))), options);
  }
  return check(instantiate(((await import(file)) as { default: Parameters<typeof instantiate>[0] }).default), options);
}

const packed = process.argv.includes('--packed');
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'))?.toLowerCase();
for (const b of BENCHES.filter((x) => filter === undefined || x.name.toLowerCase().includes(filter))) {
  const r = await run(b.file);
  const s = r.stats;
  const sec = s.elapsedMs / 1000;
  const rss = process.resourceUsage().maxRSS * 1024;
  console.log(`${b.name}: ${r.verdict}`);
  console.log(`  distinct ${thousands(s.distinct)}, generated ${thousands(s.generated)}, depth ${s.depth}, time ${duration(s.elapsedMs)}`);
  const tlc = b.tlcDistinctPerSecond === 0 ? '' : `   (TLC 1 worker ~${thousands(b.tlcDistinctPerSecond)}, x${(s.distinct / sec / b.tlcDistinctPerSecond).toFixed(2)})`;
  console.log(`  distinct states/s  ${thousands(s.distinct / sec).padStart(9)}${tlc}`);
  console.log(`  generated states/s ${thousands(s.generated / sec).padStart(9)}`);
  console.log(`  seen-set           ${(s.seenSetBytes / s.distinct).toFixed(1).padStart(9)} bytes per distinct state (${(s.seenSetBytes / 2 ** 20).toFixed(1)} MiB)`);
  const f = s.frontier!;
  const frontier = f.packedStates === 0
    ? `peak ${thousands(f.peakStates)} states, held live (not packed)`
    : `${(f.packedBytes / f.packedStates).toFixed(1)} bytes per packed state, peak ${thousands(f.peakStates)} states = ${(f.peakPackedBytes / 2 ** 20).toFixed(1)} MiB (${(f.peakPackedBytes / s.distinct).toFixed(1)} bytes per distinct state)`;
  console.log(`  frontier           ${frontier}`);
  console.log(`  peak RSS so far    ${(rss / 2 ** 20).toFixed(0).padStart(9)} MiB (${thousands(rss / s.distinct)} bytes per distinct state)`);
}
