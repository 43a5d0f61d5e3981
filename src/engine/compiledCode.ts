// Functions compiled at run time from source text (`new Function`), or
// undefined where the process forbids it (`node
// --disallow-code-generation-from-strings`, a policy that refuses eval): the
// caller then keeps its generic code, slower and the same. The engine
// compiles small functions per record type so that each has inline caches of
// its own (docs/adr/0023-record-code-per-type.md); nothing here may import
// 'immutable' (src/engine/recordFactory.ts runs before it is loaded).

/** `new Function(...params, body)`, or undefined if code generation from strings is disallowed. */
export function compiledFunction(params: readonly string[], body: string): ((...args: never[]) => unknown) | undefined {
  try {
    return new Function(...params, body) as (...args: never[]) => unknown;
  } catch (e) {
    if (e instanceof EvalError) return undefined;
    throw e;
  }
}
