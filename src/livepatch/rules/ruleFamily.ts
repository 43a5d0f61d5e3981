// What a rule family is: a named choice with variants, each a small piece of
// behaviour the model calls at one place. The built-in variants live in the
// family files; a plug-in (src/livepatch/plugin.ts) adds more, with `origin`
// naming its file.

export interface Variant<Impl> {
  readonly name: string;
  readonly description: string;
  readonly impl: Impl;
  /** The plug-in file that added it; undefined for a built-in variant. */
  readonly origin?: string;
}

export interface RuleFamily<Impl> {
  readonly name: string;
  readonly description: string;
  /** The variant of today's upstream kernel. */
  readonly default: string;
  readonly variants: readonly Variant<Impl>[];
}

export function variantOf<Impl>(family: RuleFamily<Impl>, name: string): Impl {
  const v = family.variants.find((x) => x.name === name);
  if (v === undefined) throw new Error(`unknown ${family.name} variant ${name}`);
  return v.impl;
}
