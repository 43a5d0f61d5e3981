// Public surface of the generic checker: what a spec written in TypeScript
// imports, and what the layers above (livepatch, spec, report, cli) build on.
export { defineSpec, instantiate, isSpec } from './spec.ts';
export type {
  ActionDefinition,
  ActionInstance,
  ConstantRecord,
  ConstantValue,
  Constants,
  CoverDefinition,
  InstantiateOptions,
  InvariantDefinition,
  Model,
  ParamAction,
  ParamValues,
  PartialOrderDefinition,
  AmpleOrder,
  SimpleAction,
  Spec,
  SpecDefinition,
  Successors,
  FairnessDefinition,
  StatePredicate,
  TemporalDefinition,
} from './spec.ts';
export type { StateLike, Value } from './value.ts';
export { ModelValue, isModelValue, modelValue, modelValues } from './modelValue.ts';
export { compareConstants, formatConstant } from './constants.ts';
export { formatValue, compareValues } from './tlaText.ts';
export { KlpError, isKlpError } from './errors.ts';
export type { ErrorCode, SourceLocation } from './errors.ts';
