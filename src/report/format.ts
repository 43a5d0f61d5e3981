// Small number and time formatters shared by every rendering, so figures read
// the same in TLC-style text, mail reports and summaries.

/** 1234567 -> "1,234,567", as TLC prints counts. */
export function thousands(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A probability the way TLC prints its collision estimates: "7.0E-17". */
export function probability(p: number): string {
  if (p === 0) return '0.0';
  return p.toExponential(1).toUpperCase().replace('E+', 'E').replace(/E(-?)(\d)$/, 'E$10$2');
}

/** Milliseconds as "1.23s" / "12s" / "2min 05s". */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(2)}s`;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}min ${String(Math.floor(s - m * 60)).padStart(2, '0')}s`;
}

/** A rate per second, from a count and milliseconds. */
export function perSecond(count: number, ms: number): string {
  return thousands(ms <= 0 ? count : (count * 1000) / ms);
}
