import type { Clock } from '../../src/core/clock.js'

export interface SettableClock extends Clock {
  /** Moves the clock to `iso`. */
  set(iso: string): void
  /** Moves the clock forward by `ms` milliseconds. */
  advanceMs(ms: number): void
}

/** A clock that stands still at `start` until the test moves it, for expiry and usage-period tests. */
export function settableClock(start = '2026-03-15T10:30:00.000Z'): SettableClock {
  let ms = Date.parse(start)
  return {
    now: () => new Date(ms).toISOString(),
    set: (iso) => void (ms = Date.parse(iso)),
    advanceMs: (delta) => void (ms += delta),
  }
}
