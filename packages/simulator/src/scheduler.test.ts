import { afterEach, describe, expect, it, vi } from 'vitest';
import { createManualClock, createSystemClock } from './clock.js';
import { createScheduler } from './scheduler.js';

describe('createScheduler', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs tasks in time order when a manual clock passes them, once each', () => {
    const clock = createManualClock(0);
    const scheduler = createScheduler(clock);
    const ran: string[] = [];
    scheduler.at(30, () => ran.push('c'));
    scheduler.at(10, () => ran.push('a'));
    scheduler.at(20, () => ran.push('b'));
    clock.advance(15);
    expect(ran).toEqual(['a']);
    clock.advance(100);
    clock.advance(100);
    expect(ran).toEqual(['a', 'b', 'c']);
    scheduler.stop();
  });

  it('runs tasks on real time with timers, and nothing after stop', async () => {
    vi.useFakeTimers({ now: 1_000 });
    const scheduler = createScheduler(createSystemClock());
    const ran: number[] = [];
    scheduler.at(1_500, () => ran.push(1));
    scheduler.at(3_000, () => ran.push(2));
    await vi.advanceTimersByTimeAsync(600);
    expect(ran).toEqual([1]);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(ran).toEqual([1]);
  });
});
