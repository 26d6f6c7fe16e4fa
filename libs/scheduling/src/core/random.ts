/**
 * Randomness is injected so that the simulator is reproducible per seed and services can
 * pass a cryptographic or plain Math.random source.
 */
export interface RandomSource {
  /** Uniform in [0, 1). */
  next(): number;
}

/**
 * sfc32 seeded through splitmix32: small, fast and with good statistical quality, which
 * matters because the simulator draws millions of numbers for a 1024-node run.
 */
export class SeededRandom implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const split = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** A child stream: node i of a simulation gets its own, so adding a node does not shift the others' draws. */
  fork(salt: number): SeededRandom {
    return new SeededRandom(
      (Math.floor(this.next() * 4294967296) ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0,
    );
  }
}

export function uniformBetween(random: RandomSource, min: number, max: number): number {
  return min + (max - min) * random.next();
}

/** Fisher-Yates, in place. */
export function shuffleInPlace<T>(items: T[], random: RandomSource): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
