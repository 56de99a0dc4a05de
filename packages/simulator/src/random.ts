/** A seeded generator of floats in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough for fixtures and fault rates. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of `text`, mixed with `seed`: turns (seed, loginId) into one PRNG seed. */
export function hashSeed(seed: number, text: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** An integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** `count` decimal digits as a string. */
export function digits(random: Random, count: number): string {
  let out = '';
  for (let index = 0; index < count; index++) out += String(Math.floor(random() * 10));
  return out;
}

/** A GUID-formatted (version 4 layout) id drawn from `random`. */
export function randomGuid(random: Random): string {
  const hex = () => Math.floor(random() * 16).toString(16);
  const part = (length: number) => Array.from({ length }, hex).join('');
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  return `${part(8)}-${part(4)}-4${part(3)}-${variant}${part(3)}-${part(12)}`;
}
