import type { Clock } from '../../src/core/clock.js'

/** A clock that starts at `start` and moves one second forward on every reading, so each write has its own time. */
export function steppingClock(start = '2026-01-26T12:00:00.000Z'): Clock & { readonly last: () => string } {
  let ms = Date.parse(start) - 1000
  let last = ''
  return {
    now: () => (last = new Date((ms += 1000)).toISOString()),
    last: () => last,
  }
}
