/** The time source of every service, so tests can pin it. */
export interface Clock {
  /** Now as an ISO 8601 UTC timestamp. */
  now(): string
}

export const SYSTEM_CLOCK: Clock = { now: () => new Date().toISOString() }
