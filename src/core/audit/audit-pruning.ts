import type { Clock } from '../clock.js'
import { ValidationError } from '../errors.js'
import type { Store } from '../ports/store.js'
import { pruneAudit } from './audit-service.js'

const PRUNE_EVERY_MS = 60 * 60 * 1000

/**
 * Prunes the audit log to `retentionDays` once now and then hourly, on an unref'd timer so it never
 * keeps a process alive; null when `retentionDays` is undefined (entries are kept forever).
 * ValidationError naming `auditRetentionDays` for anything but a positive whole number of days.
 */
export function startAuditPruning(store: Store, clock: Clock, retentionDays: number | undefined) {
  if (retentionDays === undefined) return null
  if (typeof retentionDays !== 'number' || !Number.isInteger(retentionDays) || retentionDays < 1) {
    throw new ValidationError('auditRetentionDays', 'auditRetentionDays must be a whole number of days, at least 1')
  }
  let running: Promise<number> | null = null
  let stopped = false
  const run = (): Promise<number> => {
    // One prune at a time: a slow one is not overtaken by the next tick.
    running ??= pruneAudit(store, clock, retentionDays).finally(() => (running = null))
    return running
  }
  const background = () => {
    if (!stopped) run().catch(() => {
      // A failed prune (the store closing under it) is retried at the next tick; entries are only kept longer.
    })
  }
  const timer = setInterval(background, PRUNE_EVERY_MS)
  timer.unref()
  background()
  return {
    run,
    /** Stops the timer and waits for a prune in flight, so the store can close after it. */
    async stop(): Promise<void> {
      stopped = true
      clearInterval(timer)
      await running?.catch(() => undefined)
    },
  }
}
