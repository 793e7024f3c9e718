import type { BenchOptions, Figure } from '../bench-types.js'

/** One operation under test: synchronous (a raw baseline) or asynchronous (a roster call). */
export type Op = () => unknown

/** How long and how often each side of a figure runs. */
export interface RateOptions {
  readonly warmupMs: number
  readonly roundMs: number
  readonly rounds: number
  /** Ends a round early after this many operations, for ops slow enough that a few hundred tell the rate. */
  readonly roundOps?: number
}

/** Quick runs keep the whole bench under a minute; full runs use longer rounds for steadier medians. */
export function rateOptions(options: BenchOptions): RateOptions {
  return options.quick ? { warmupMs: 100, roundMs: 200, rounds: 5 } : { warmupMs: 300, roundMs: 800, rounds: 7 }
}

/** When a measurement stops: after `ms` milliseconds or `count` operations, whichever comes first. */
export interface RunLimit {
  readonly ms: number
  readonly count?: number | undefined
}

// Ops run in small batches between clock reads, so reading the clock costs the same on both sides and stays negligible.
const BATCH = 8

/** Runs `op` until `limit` (a number is milliseconds) and returns operations per second. Awaits `op` only when it returns a promise. */
export async function opsPerSecond(op: Op, limit: RunLimit | number): Promise<number> {
  const { ms, count = Infinity } = typeof limit === 'number' ? { ms: limit } : limit
  const first = op()
  if (first instanceof Promise) {
    await first
    return loopAsync(op as () => Promise<unknown>, ms, count)
  }
  return loopSync(op, ms, count)
}

function loopSync(op: Op, ms: number, max: number): number {
  let count = 0
  const start = performance.now()
  let now = start
  while (now - start < ms && count < max) {
    for (let i = 0; i < BATCH; i++) op()
    count += BATCH
    now = performance.now()
  }
  return (count * 1000) / (now - start)
}

async function loopAsync(op: () => Promise<unknown>, ms: number, max: number): Promise<number> {
  let count = 0
  const start = performance.now()
  let now = start
  while (now - start < ms && count < max) {
    for (let i = 0; i < BATCH; i++) await op()
    count += BATCH
    now = performance.now()
  }
  return (count * 1000) / (now - start)
}

/** The middle value (the mean of the two middle values for an even count): one slow round cannot move it. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/**
 * Measures roster and the raw baseline in alternating rounds (so drift in the machine hits both
 * alike) after a warm-up of each, and returns the median rate of each side.
 */
export async function compareRates(roster: Op, raw: Op, options: RateOptions): Promise<{ value: number; baseline: number }> {
  const limit: RunLimit = { ms: options.roundMs, count: options.roundOps }
  await opsPerSecond(raw, options.warmupMs)
  await opsPerSecond(roster, options.warmupMs)
  const rosterRates: number[] = []
  const rawRates: number[] = []
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) {
      rawRates.push(await opsPerSecond(raw, limit))
      rosterRates.push(await opsPerSecond(roster, limit))
    } else {
      rosterRates.push(await opsPerSecond(roster, limit))
      rawRates.push(await opsPerSecond(raw, limit))
    }
  }
  return { value: median(rosterRates), baseline: median(rawRates) }
}

/** A rate figure (ops/s, higher is better): ratio = roster / raw, rounded to three places before it is judged. */
export function rateFigure(figure: string, rates: { value: number; baseline: number }, target: number): Figure {
  const ratio = Math.round((rates.value / rates.baseline) * 1000) / 1000
  return {
    figure,
    value: Math.round(rates.value),
    unit: 'ops/s',
    baseline: Math.round(rates.baseline),
    ratio,
    target,
    met: ratio >= target,
  }
}

/** Cycles through `items` forever, so every call of a measured op gets the next input. */
export function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('cycle needs at least one item')
  let i = 0
  return () => {
    const item = items[i]!
    i = i + 1 === items.length ? 0 : i + 1
    return item
  }
}
