// Errors as values with stable codes (like Quint's QNTnnn and TLC's EC numbers).
// Every error a user can see is a KlpError carrying one of the codes below; the
// only place that turns one into text is src/report/errorText.ts. Codes are never
// renumbered: tests and scripts match on them.

/** Where in a user's file an error points (1-based line and column). */
export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

export const ERROR_CODES = {
  // 1xx: loading and validating a spec written in TypeScript
  KLP101: 'spec file not found',
  KLP102: 'spec module has no default-exported spec',
  KLP103: 'spec module threw while loading',
  KLP104: 'spec definition is malformed',
  KLP105: 'unknown constant',
  KLP106: 'constant value has the wrong type or syntax',
  KLP107: 'unknown invariant',
  KLP108: 'spec code threw while evaluating',
  KLP109: 'a state holds a value the checker cannot store',

  // 110-119 reserved: constants (model values, sets of sets, deep type checks)

  // 120-129 reserved: temporal properties and fairness (liveness)
  KLP120: 'unknown temporal property',
  KLP121: 'temporal property is malformed',
  KLP122: 'fairness names an unknown action or kind',

  // 2xx: declarative spec files (YAML), src/spec
  KLP201: 'malformed YAML',
  KLP202: 'spec file does not match the schema',
  KLP203: 'unknown rule or rule variant',
  KLP204: 'reference to an undeclared name',
  KLP205: 'unbounded recursion in function bodies',

  // 206-219 reserved: scenario sizes and loader hardening
  KLP206: 'scenario exceeds a size limit',
  KLP207: 'spec file too large or not a regular file',
  KLP208: 'spec file of an unknown kind (extension)',

  // 220-239 reserved: consistency models and caller-level properties
  KLP220: 'the consistency model has no such administrator action',
  KLP221: 'caller-consistency is declared wrongly',
  KLP222: 'formats or accepts of a patch are declared wrongly',

  KLP240: 'a kthread forks',
  // 3xx: command line
  KLP301: 'bad command-line usage',
  KLP302: 'cannot write output',

  // 303-319 reserved: report and suite options
  KLP303: 'suite: a path is neither a folder nor a spec file',

  // 330-339 reserved: resources of a run
  KLP330: 'cannot write or read the frontier folder',

  // 4xx reserved: plug-ins (proposals as TypeScript files)
  KLP401: 'plug-in file not found',
  KLP402: 'plug-in does not type-check against the plug-in API',
  KLP403: 'plug-in threw or failed to compile while loading',
  KLP404: 'plug-in exports nothing usable',
  KLP405: 'plug-in variant names a family that takes no plug-ins',
  KLP406: 'plug-in variant name clashes with another variant',
  KLP407: 'plug-in threw during the run',
  KLP408: 'plug-in returned a malformed value',
  KLP409: 'scenario with plug-ins loaded without them',

} as const;

/**
 * Warnings: the run finished but something was not really checked. Never an
 * error by themselves; `--strict` makes them exit code 15.
 */
export const WARNING_CODES = {
  KLP501: 'no property is checked',
  KLP502: 'a cover goal is never reached',
  KLP503: 'a property\'s premise never holds',
  KLP504: 'a temporal property the spec declares was not checked',
  KLP505: 'a declared patch is never enabled',
  KLP506: 'fairness is assumed but no temporal property is checked',
  KLP507: 'a plug-in was loaded without a type check',

  // 508-519 reserved

} as const;

export type WarningCode = keyof typeof WARNING_CODES;

export type ErrorCode = keyof typeof ERROR_CODES;

export class KlpError extends Error {
  readonly code: ErrorCode;
  readonly location: SourceLocation | undefined;
  /** Extra lines (e.g. the list of valid choices), printed after the message. */
  readonly hints: readonly string[];

  constructor(code: ErrorCode, message: string, options: { location?: SourceLocation; hints?: readonly string[]; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KlpError';
    this.code = code;
    this.location = options.location;
    this.hints = options.hints ?? [];
  }
}

export function isKlpError(e: unknown): e is KlpError {
  return e instanceof KlpError;
}
