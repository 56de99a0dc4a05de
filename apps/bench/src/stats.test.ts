import { describe, expect, it } from 'vitest';
import { maximum, percentile } from './stats';

describe('percentile', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('maximum', () => {
  it('finds the largest of 300 000 values (as many polls as the full bench analyses)', () => {
    const values = Array.from({ length: 300_000 }, (_, index) => (index * 7919) % 300_000);
    expect(maximum(values)).toBe(299_999);
    expect(maximum([-3, -1, -2])).toBe(-1);
    expect(maximum([])).toBeNaN();
  });
});
