import type { Store } from '../ports/store.js'
import type { UsageIncrement } from './usage.js'

type Pending = { -readonly [K in keyof UsageIncrement]: UsageIncrement[K] }

interface Waiter {
  resolve(): void
  reject(error: unknown): void
}

/**
 * Groups usage from concurrent verifications into one transaction. Increments to the same
 * (credential, hour) are summed in memory first; each `record` resolves only once the batch
 * holding it has committed, so acknowledged usage is never lost, even to a killed process.
 */
export function createUsageMeter(store: Store) {
  let pending = new Map<string, Pending>()
  let waiters: Waiter[] = []
  let scheduled: ReturnType<typeof setImmediate> | null = null
  let flushing: Promise<void> = Promise.resolve()
  const inFlight = new Set<Promise<unknown>>()

  function flush(): Promise<void> {
    scheduled = null
    if (waiters.length === 0) return flushing
    const batch = [...pending.values()]
    const done = waiters
    pending = new Map()
    waiters = []
    flushing = store.transaction((tx) => tx.usage.add(batch)).then(
      () => done.forEach((w) => w.resolve()),
      (error: unknown) => done.forEach((w) => w.reject(error)),
    )
    return flushing
  }

  return {
    /** Adds `increment` to the next batch; resolves when that batch has committed, rejects if it failed. */
    record(increment: UsageIncrement): Promise<void> {
      const key = `${increment.credentialId}:${increment.hour}`
      const earlier = pending.get(key)
      if (!earlier) {
        pending.set(key, { ...increment })
      } else {
        earlier.requests += increment.requests
        earlier.units += increment.units
        if (increment.usedAt > earlier.usedAt) earlier.usedAt = increment.usedAt
      }
      return new Promise<void>((resolve, reject) => {
        waiters.push({ resolve, reject })
        // setImmediate, not a microtask: verifications arriving in the same turn of I/O join this batch.
        scheduled ??= setImmediate(flush)
      })
    },

    /** Counts `work` (a verification) as in flight until it settles, so `drain` waits for its usage too. */
    track<T>(work: Promise<T>): Promise<T> {
      inFlight.add(work)
      const settled = () => void inFlight.delete(work)
      work.then(settled, settled)
      return work
    },

    /** Waits for tracked work, commits everything recorded so far and waits for that commit. */
    async drain(): Promise<void> {
      await Promise.allSettled([...inFlight])
      if (scheduled !== null) {
        clearImmediate(scheduled)
        await flush()
      }
      await flushing
    },
  }
}

export type UsageMeter = ReturnType<typeof createUsageMeter>
