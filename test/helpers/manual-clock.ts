import type { Clock } from '../../src/core/clock.js'

export interface ManualClock extends Clock {
  /** The current time in Unix seconds. */
  seconds(): number
  /** Moves the clock forward by `seconds`. */
  advance(seconds: number): void
}

/** A clock that stands still at `start` until moved, for time-step rules such as TOTP. */
export function manualClock(start = '2026-01-26T12:00:00.000Z'): ManualClock {
  let ms = Date.parse(start)
  return {
    now: () => new Date(ms).toISOString(),
    seconds: () => ms / 1000,
    advance: (seconds) => void (ms += seconds * 1000),
  }
}
