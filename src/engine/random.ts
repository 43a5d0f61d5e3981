// A small seeded pseudo-random generator for simulation: reproducible from a
// seed on every machine and Node version (Math.random is neither). splitmix32
// derives independent streams, one per simulated behaviour, so behaviour i of
// seed s can be replayed alone.

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

export interface Random {
  /** An integer in [0, n), n >= 1. */
  below(n: number): number;
}

/** The stream of behaviour `run` under `seed` (both non-negative integers below 2^32). */
export function randomStream(seed: number, run: number): Random {
  // xorshift128 seeded through splitmix32, so neighbouring seeds and runs give unrelated streams.
  let a = mix32(seed ^ mix32(run));
  let b = mix32(a ^ 0x6a09e667);
  let c = mix32(b ^ 0xbb67ae85);
  let d = mix32(c ^ 0x3c6ef372) | 1;
  const next = (): number => {
    const t = a ^ (a << 11);
    a = b;
    b = c;
    c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return d;
  };
  return {
    below(n: number): number {
      // Rejection sampling: no modulo bias.
      const limit = Math.floor(0x100000000 / n) * n;
      let x = next();
      while (x >= limit) x = next();
      return x % n;
    },
  };
}
