// The size limits of a scenario file (KLP206, KLP207). The state space grows
// exponentially with the number of tasks and forked tasks, and each task or
// function multiplies the actions tried in every state; a file beyond these
// limits would run for hours or exhaust memory while the model is built, so
// the loader refuses it with one message at the offending entry instead.
// Every bundled scenario and the benchmark's mixed workload stay far below.
// spec.schema.json carries the same numbers (test/spec/loadScenario.test.ts).

import type { KlpError } from '../engine/errors.ts';
import { readList, type YamlSource, type YValue } from './yamlNodes.ts';

export const LIMITS = {
  /** Bytes of the file itself (the largest bundled scenario has about 2 KB). */
  fileBytes: 256 * 1024,
  /** `{ max-forked: N }`: each forked slot multiplies the state space by the states a task can be in. */
  maxForked: 8,
  /** Declared tasks (the max-forked entry not counted). */
  tasks: 16,
  /** Declared functions. */
  functions: 64,
  /** Steps in one body (a function's, a patch's new body, a kthread's loop). */
  steps: 32,
  /** Patches. */
  patches: 16,
  /** Steps of the administrator's sequence. */
  adminSteps: 32,
  /** Named variants. */
  variants: 64,
} as const;

/** Why a limit exists, for the hint line of KLP206. */
export const LIMIT_HINT = 'the state space grows exponentially with the size of a scenario; keep it to the few tasks and functions that show the race (docs/spec-format.md, "Size limits")';


/** KLP206 at `at` (the first entry beyond the limit, or the number itself). */
export function overLimit(src: YamlSource, what: string, count: number, limit: number, at: number, unit = 'entries'): KlpError {
  return src.error('KLP206', `${what} has ${count} ${unit}; at most ${limit} are allowed`, at, [LIMIT_HINT]);
}

/** A list of at most `limit` entries. */
export function readBoundedList(src: YamlSource, v: YValue, what: string, limit: number, unit = 'entries'): YValue[] {
  const items = readList(src, v, what);
  if (items.length > limit) throw overLimit(src, what, items.length, limit, items[limit]!.at, unit);
  return items;
}
