import type { RateOptions } from '../lib/timing.js'
import { median, opsPerSecond } from '../lib/timing.js'

/** `callers` asynchronous callers each awaiting `op` in a loop for `ms`; all their operations per second. */
export async function concurrentRate(op: () => Promise<unknown>, callers: number, ms: number): Promise<number> {
  let count = 0
  let elapsed = 0
  const start = performance.now()
  const caller = async () => {
    while (elapsed < ms) {
      await op()
      count++
      elapsed = performance.now() - start
    }
  }
  await Promise.all(Array.from({ length: callers }, caller))
  return (count * 1000) / (performance.now() - start)
}

/**
 * roster's `op` from `callers` concurrent callers against the raw baseline in a plain loop, in
 * alternating rounds after a warm-up of each; the median rate of each side.
 */
export async function compareConcurrent(
  op: () => Promise<unknown>, raw: () => unknown, callers: number, options: RateOptions,
): Promise<{ value: number; baseline: number }> {
  await concurrentRate(op, callers, options.warmupMs)
  await opsPerSecond(raw, options.warmupMs)
  const [rosterRates, rawRates] = [[] as number[], [] as number[]]
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) rawRates.push(await opsPerSecond(raw, options.roundMs))
    rosterRates.push(await concurrentRate(op, callers, options.roundMs))
    if (round % 2 === 1) rawRates.push(await opsPerSecond(raw, options.roundMs))
  }
  return { value: median(rosterRates), baseline: median(rawRates) }
}
