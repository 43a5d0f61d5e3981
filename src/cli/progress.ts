// Progress lines on stderr during a long run, in TLC's shape:
//   Progress(12) at 2026-11-21 22:40:01: 1,234 states generated (74,040 s/min),
//   456 distinct states found (27,360 ds/min), 12 states left on queue.
// Shown when stderr is a terminal, or always with --progress.
import type { Progress } from '../engine/bfs.ts';
import { thousands } from '../report/format.ts';

export function progressLine(p: Progress, at: Date): string {
  const minutes = Math.max(p.elapsedMs, 1) / 60000;
  const stamp = at.toISOString().slice(0, 19).replace('T', ' ');
  return (
    `Progress(${p.depth}) at ${stamp}: ${thousands(p.generated)} states generated (${thousands(p.generated / minutes)} s/min), ` +
    `${thousands(p.distinct)} distinct states found (${thousands(p.distinct / minutes)} ds/min), ${thousands(p.queueLeft)} states left on queue.`
  );
}

export function progressReporter(enabled: boolean): ((p: Progress) => void) | undefined {
  if (!enabled) return undefined;
  return (p) => process.stderr.write(`${progressLine(p, new Date())}\n`);
}
