// Test helper: instantiate a spec and run the real engine on it.
import { check, type CheckOptions } from '../../src/engine/bfs.ts';
import type { CheckResult } from '../../src/engine/result.ts';
import { instantiate, type Constants, type InstantiateOptions, type Spec } from '../../src/engine/spec.ts';
import type { StateLike } from '../../src/engine/value.ts';

export function checkSpec<S extends StateLike, C extends Constants>(spec: Spec<S, C>, instantiateOptions: InstantiateOptions = {}, options: CheckOptions = {}): CheckResult<S> {
  return check(instantiate(spec, instantiateOptions), options);
}
