// How a search worker (src/engine/parallel) builds the model the command line
// checks: the spec file (scenario with its variant, rules, plug-ins and
// symmetry, or TypeScript module) and the instantiation options, all plain
// data. `runCheck` builds its own model through the same function, so both
// sides instantiate the same spec the same way.
import { instantiate, type Model } from '../engine/spec.ts';
import type { ModelSource } from '../engine/parallel/protocol.ts';
import type { StateLike } from '../engine/value.ts';
import { parseConstants } from './parseConstants.ts';
import { loadSpecFile, type LoadedSpec } from './specFile.ts';

export interface ModelRecipe {
  readonly [key: string]: string | boolean | readonly string[] | undefined;
  readonly spec: string;
  readonly rule?: readonly string[];
  readonly plugin?: readonly string[];
  readonly variant?: string | undefined;
  readonly symmetry?: boolean;
  readonly por?: boolean;
  readonly const?: readonly string[];
  readonly invariant?: readonly string[] | undefined;
  readonly deadlock?: boolean | undefined;
  readonly property?: readonly string[] | undefined;
}

export async function loadRecipe(r: ModelRecipe, shouldStop?: () => boolean): Promise<{ model: Model<StateLike>; loaded: LoadedSpec }> {
  const loaded = await loadSpecFile(r.spec, { rules: r.rule ?? [], plugins: r.plugin ?? [], ...(r.variant !== undefined ? { variant: r.variant } : {}), ...(r.symmetry === true ? { symmetry: true } : {}), ...(r.por === true ? { por: true } : {}) });
  const model = instantiate(loaded.spec, {
    constants: parseConstants(r.const ?? []),
    ...(r.invariant !== undefined && r.invariant.length > 0 ? { invariants: r.invariant } : {}),
    ...(r.deadlock !== undefined ? { checkDeadlock: r.deadlock } : {}),
    ...(shouldStop !== undefined ? { shouldStop } : {}),
    ...(r.property !== undefined && r.property.length > 0 ? { properties: r.property } : {}),
  });
  return { model, loaded };
}

/** The worker entry point (ModelSource.loader). */
export async function loadModel(data: unknown): Promise<Model<StateLike>> {
  return (await loadRecipe(data as ModelRecipe)).model;
}

/** The source workers load `r` from. */
export function recipeSource(r: ModelRecipe): ModelSource {
  return { loader: new URL('./workerModel.ts', import.meta.url).href, data: r };
}
