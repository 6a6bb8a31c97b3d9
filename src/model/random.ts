/** mulberry32: a small, fast, well-distributed seeded 32-bit PRNG; floats in [0, 1). One copy for forecasts, fixtures and replayable tests. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The next `out.length` numbers of `mulberry32(seed)`, written into `out` — the same numbers,
 * without a closure call per number (a cold CLI runs this loop in the interpreter, where the
 * call is most of the cost).
 */
export function mulberry32Fill(seed: number, out: Float64Array): Float64Array {
  let a = seed >>> 0;
  for (let i = 0; i < out.length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  return out;
}

/**
 * `n` bytes from V8's `Math.random` (xorshift128+, seeded from the OS at startup), for ids and
 * nonces that must be unique, never secret: lock nonces, temp and transaction names, the random
 * part of ledger ids. Loading node:crypto for these cost ~6 ms of every write's startup (bench/).
 */
export function uniqueBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/** `uniqueBytes(n)` as lowercase hex. */
export function uniqueHex(n: number): string {
  let s = '';
  for (const b of uniqueBytes(n)) s += b.toString(16).padStart(2, '0');
  return s;
}
