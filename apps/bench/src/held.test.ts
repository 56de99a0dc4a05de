import { describe, expect, it } from 'vitest';
import { maxOverlap } from './held';

describe('maxOverlap', () => {
  it('counts the most intervals open at one instant, an end before a start at the same time', () => {
    expect(maxOverlap([])).toBe(0);
    expect(
      maxOverlap([
        [0, 10],
        [5, 15],
        [10, 20],
        [12, 13],
      ]),
    ).toBe(3);
    expect(
      maxOverlap([
        [0, 5],
        [5, 10],
      ]),
    ).toBe(1);
  });
});
