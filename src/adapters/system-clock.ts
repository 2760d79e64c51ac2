/**
 * The real clock: wall time and timer-based sleeps that stop early (rejecting) when their
 * signal aborts, so a harvest told to stop during a 3 s politeness pause stops at once.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../ports/clock.js';

export class SystemClock implements Clock {
  now(): Date {
    return new Date();
  }

  /** Never ends early: node timers count from the event loop's cached time, which may lag. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const end = Date.now() + ms;
    // node's timers/promises rejects with an AbortError when the signal aborts
    for (let left = ms; left > 0; left = end - Date.now()) await delay(left, undefined, signal ? { signal } : undefined);
  }
}
