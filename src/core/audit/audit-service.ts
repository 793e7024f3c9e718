import type { Clock } from '../clock.js'
import { ValidationError } from '../errors.js'
import { parseInput } from '../parse-input.js'
import type { Store } from '../ports/store.js'
import { requirePermission, type Principal } from '../principal.js'
import {
  DEFAULT_AUDIT_PAGE_SIZE,
  decodeAuditCursor,
  encodeAuditCursor,
  ListAuditInput,
  type AuditPage,
} from './audit-list-input.js'

/** How many entries one pruning transaction deletes at most, so pruning never holds the writer for long. */
export const AUDIT_PRUNE_BATCH = 500
const DAY_MS = 24 * 60 * 60 * 1000

/** The tenant's audit log, read with `view_audit`; entries are written by the services that make the changes. */
export function createAuditService(store: Store, clock: Clock) {
  return {
    /**
     * A page of the principal's tenant's entries, newest first, filtered by actor, action, target
     * (`target` id, `targetType`) and time (`from` inclusive, `to` exclusive), keyset-paged by `cursor`.
     */
    async list(principal: Principal, input: ListAuditInput = {}): Promise<AuditPage> {
      const admin = requirePermission(principal, 'view_audit')
      const { cursor, limit = DEFAULT_AUDIT_PAGE_SIZE, ...filters } = parseInput(ListAuditInput, input, 'query')
      if (filters.from !== undefined && filters.to !== undefined && filters.from >= filters.to) {
        throw new ValidationError('to', 'to must be later than from')
      }
      const after = cursor === undefined ? undefined : decodeAuditCursor(cursor)
      const entries = await store.read((r) => r.audit.list(admin.tenantId, { ...filters, after, limit: limit + 1 }))
      const hasMore = entries.length > limit
      const page = hasMore ? entries.slice(0, limit) : entries
      const last = page[page.length - 1]
      return { entries: page, limit, hasMore, nextCursor: hasMore && last ? encodeAuditCursor(last) : null }
    },
  }
}

/**
 * Deletes every tenant's entries older than `retentionDays`, AUDIT_PRUNE_BATCH per transaction so
 * other writes interleave with a large prune. Resolves with how many entries went.
 */
export async function pruneAudit(store: Store, clock: Clock, retentionDays: number): Promise<number> {
  const before = new Date(Date.parse(clock.now()) - retentionDays * DAY_MS).toISOString()
  const tenants = await store.read((r) => r.tenants.list())
  let pruned = 0
  for (const tenant of tenants) {
    for (;;) {
      const deleted = await store.transaction((tx) => tx.audit.prune(tenant.id, before, AUDIT_PRUNE_BATCH))
      pruned += deleted
      if (deleted < AUDIT_PRUNE_BATCH) break
    }
  }
  return pruned
}

export type AuditService = ReturnType<typeof createAuditService>
