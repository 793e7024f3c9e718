// The wire shapes the console reads, as the README documents them. Only what the console uses.

export type UserStatus = 'active' | 'suspended' | 'pending'

export const PERMISSIONS = ['manage_users', 'manage_credentials', 'record_usage', 'manage_roles', 'manage_groups', 'manage_keys', 'view_audit'] as const
export type Permission = (typeof PERMISSIONS)[number]

/** `/v1/admin/users` user object. */
export interface AdminUser {
  readonly id: string
  readonly admin_key_id: string | null
  readonly admin_entity_name: string
  readonly external_id: string | null
  readonly name: string
  readonly email: string | null
  readonly metadata: Record<string, unknown>
  readonly created_at: string
  readonly updated_at: string | null
  readonly status: UserStatus
  readonly billing_plan: string | null
  readonly first_name: string | null
  readonly last_name: string | null
}

export interface AdminEnvelope<T> {
  readonly success: true
  readonly data: T
  readonly message?: string
}

export interface UserListPagination {
  /** May be null: roster need not count every match to page through them. */
  readonly total?: number | null
  readonly limit: number
  readonly has_more: boolean
  readonly next_cursor: string | null
}

export interface UserList extends AdminEnvelope<AdminUser[]> {
  readonly pagination: UserListPagination
}

export interface AdminKey {
  readonly id: string
  readonly name: string
  readonly prefix: string
  readonly permissions: Permission[]
  readonly tenant_id: string
  readonly created_at: string
  readonly revoked_at: string | null
}

/** A key or credential as created: `key` is its secret, in this answer only. */
export interface Issued {
  readonly id: string
  readonly name: string
  readonly key: string
}

export interface Credential {
  readonly id: string
  readonly user_id: string
  readonly name: string
  readonly prefix: string
  readonly created_at: string
  readonly last_used_at: string | null
  readonly expires_at: string | null
  readonly revoked_at: string | null
}

export interface Period {
  readonly from: string
  readonly to: string
}

export interface Counts {
  readonly requests: number
  readonly units: number
}

export interface UserUsage {
  readonly user_id: string
  readonly period: Period
  readonly totals: Counts
  readonly credentials: readonly (Counts & { credential_id: string; name: string; prefix: string; revoked_at: string | null })[]
  readonly daily: readonly (Counts & { date: string })[]
}

export interface UsageSummaryRow extends Counts {
  readonly user_id: string
  readonly external_id: string | null
  readonly name: string | null
  readonly email: string | null
  readonly status: UserStatus | null
  readonly deleted: boolean
}

export interface UsageSummary extends AdminEnvelope<{ period: Period; totals: Counts; users: UsageSummaryRow[] }> {
  readonly pagination: { total: number; limit: number; offset: number; has_more: boolean }
}

/** A JSON:API resource object (IAM surface). */
export interface Resource<A> {
  readonly type: string
  readonly id: string
  readonly attributes: A
  readonly relationships?: Record<string, { data?: { type: string; id: string } | { type: string; id: string }[] | null }>
}

export interface JsonApiList<A> {
  readonly data: Resource<A>[]
  readonly included?: Resource<Record<string, unknown>>[]
  readonly links?: { next?: string | null }
}

export interface RoleAttributes {
  readonly name: string
  readonly description: string | null
}

export interface AccountAttributes {
  readonly email?: string | null
  readonly enabled?: boolean
}

export interface Group {
  readonly id: string
  readonly name: string
}

/** One entry of `GET /v1/admin/audit`. */
export interface AuditEntry {
  id: string
  at: string
  actor: string
  actor_type: string
  surface: string
  request_id: string | null
  action: string
  target_type: string
  target_id: string
  fields: string[]
  before: Record<string, unknown>
  after: Record<string, unknown>
}
