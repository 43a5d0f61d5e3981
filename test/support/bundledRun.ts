// A bundled livepatch scenario run with its liveness pass, as the liveness
// tests use it: the run must meet the file's own expectation, and a lasso it
// reports must pass the independent check of lassoCheck.ts. Plus the action
// labels of a trace, the form in which those tests compare traces.
import assert from 'node:assert/strict';
import { scenarioRun } from '../../src/cli/scenarioRun.ts';
import { checkWithLiveness } from '../../src/engine/liveness/checkLiveness.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate } from '../../src/engine/spec.ts';
import { unmet } from '../../src/livepatch/expectation.ts';
import { loadScenario } from '../../src/spec/loadScenario.ts';
import { lassoProblem } from './lassoCheck.ts';

/** Checks specs/livepatch/`file` (variant, or the base run) with liveness; asserts it is as the file expects. */
export function runBundled(file: string, variant: string | undefined): CheckResult {
  const run = scenarioRun(loadScenario(`specs/livepatch/${file}`), variant);
  const model = instantiate(run.spec);
  const r = checkWithLiveness(model);
  assert.equal(unmet(r, run.scenario!.expect!), undefined, `${file} ${variant ?? 'base'}: ${r.verdict}`);
  if (r.violation?.kind === 'liveness') assert.equal(lassoProblem(model, r.violation.trace, 'transition-completes'), undefined);
  return r;
}

/** The action labels of a result's trace, 'init' for the first state. */
export const traceLabels = (r: CheckResult): string[] => r.violation!.trace.steps.map((s) => s.action?.label ?? 'init');
