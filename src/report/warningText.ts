// One line per vacuity warning (CheckResult.warnings), the same words in every
// rendering that shows them: the mail report, the suite table's details, TLC
// text. Kept apart so a reader learns one format.
import type { CheckWarning } from '../engine/result.ts';

export function warningLine(w: CheckWarning): string {
  return `Warning ${w.code}: ${w.message}`;
}

/** "no violation, but 2 checks were vacuous" and the like. */
export function vacuousText(count: number): string {
  return `${count} check${count === 1 ? ' was' : 's were'} vacuous`;
}
