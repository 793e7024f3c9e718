import type { AuditEntry, AuditQuery, NewAuditEntry } from '../audit/audit-entry.js'
import type { TenantId } from '../ids.js'

/** The audit log of one tenant. Entries are only ever appended, read, and pruned by age. */
export interface AuditRepository {
  /** Appends the entry; inside a transaction it commits or rolls back with the change it records. */
  append(entry: NewAuditEntry): Promise<void>
  /**
   * At most `query.limit` entries of this tenant meeting every condition, newest first (`at` descending,
   * then `id` descending), starting right after `query.after` when given. Costs the page at any depth.
   */
  list(tenantId: TenantId, query: AuditQuery): Promise<AuditEntry[]>
  /** Deletes at most about `limit` of the tenant's entries older than `before`, oldest first; how many went. */
  prune(tenantId: TenantId, before: string, limit: number): Promise<number>
}
