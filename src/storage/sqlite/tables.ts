/** roster's SQLite schema as kysely sees it; column names are fixed, never configurable. */
export interface TenantsTable {
  id: string
  name: string
  owner_user_id: string | null
  next_user_number: number
  created_at: string
}

export interface InstallationTable {
  id: number
  bootstrap_key_hash: string
  updated_at: string
}

export interface AdminKeysTable {
  id: string
  tenant_id: string
  name: string
  secret_hash: string
  prefix: string
  permissions: string
  created_at: string
  revoked_at: string | null
}

export interface UsersTable {
  id: string
  tenant_id: string
  number: number
  external_id: string | null
  name: string
  first_name: string | null
  last_name: string | null
  email: string | null
  email_lower: string | null
  metadata: string
  status: string
  suspended_reason: string | null
  billing_plan: string | null
  account_type: string
  auth_type: string
  expires_at: string | null
  created_at: string
  updated_at: string | null
  admin_key_id: string | null
  /** Raised by every change (migration 031). */
  version?: number
  password_hash?: string | null
  password_reset_token_hash?: string | null
  password_reset_token_expires_at?: string | null
}

export interface GroupsTable {
  id: string
  tenant_id: string
  name: string
  created_at: string
  updated_at: string | null
  /** Kept by triggers on group_memberships (migration 020). */
  members?: number
  /** Raised by every change (migration 031). */
  version?: number
}

export interface GroupMembershipsTable {
  tenant_id: string
  group_id: string
  user_id: string
  created_at: string
}

export interface RolesTable {
  id: string
  tenant_id: string
  name: string
  description: string | null
  created_at: string
  updated_at: string | null
  /** Kept by triggers on user_roles (migration 020). */
  holders?: number
  /** Raised by every change (migration 031). */
  version?: number
}

export interface UserRolesTable {
  tenant_id: string
  user_id: string
  role_id: string
  created_at: string
}

export interface CredentialsTable {
  id: string
  tenant_id: string
  user_id: string
  name: string
  secret_hash: string
  prefix: string
  created_at: string
  expires_at: string | null
  revoked_at: string | null
  created_by_key_id: string | null
}

export interface UsageHourlyTable {
  credential_id: string
  hour: number
  tenant_id: string
  user_id: string
  requests: number
  units: number
  last_used_at: string
}

/** The FTS5 trigram index over users (migration 021); `users_search` is the column that takes MATCH. */
export interface UsersSearchTable {
  rowid: number
  users_search: string
  name: string
  email: string | null
  external_id: string | null
}

/** Users per tenant and status, kept by triggers (migration 020). */
export interface UserCountsTable {
  tenant_id: string
  status: string
  users: number
}

/** Per-user usage per UTC day and month, kept by triggers on usage_hourly (migration 022). */
export interface UsageDailyTable {
  tenant_id: string
  day: number
  user_id: string
  requests: number
  units: number
}

export interface UsageMonthlyTable {
  tenant_id: string
  month: number
  user_id: string
  requests: number
  units: number
}

export interface MfaTotpFactorsTable {
  id: string
  tenant_id: string
  user_id: string
  /** Sealed (base64url AES-256-GCM); clear text only while `secret_key_id` is null, until the next open seals it. */
  secret: string
  secret_key_id: string | null
  status: string
  last_used_step: number | null
  created_at: string
  confirmed_at: string | null
}

export interface MfaRecoveryCodesTable {
  tenant_id: string
  user_id: string
  code_hash: string
  /** The user's salt for the scrypt hash; null marks a bare SHA-256 hash of an earlier roster, salted at the next open. */
  salt: string | null
  created_at: string
  used_at: string | null
}

export interface SecretScrubTable {
  id: number
  pending: number
}

export interface AuthAttemptsTable {
  tenant_id: string
  user_id: string
  kind: string
  failures: number
  locked_until: string | null
  updated_at: string
}

/** The audit log (migration 030); `changes` is `{fields, before, after}` as JSON. */
export interface AuditEntriesTable {
  /** SQLite only (migration 050): the order entries were appended in, which the index tables point at. */
  seq?: number
  tenant_id: string
  at: string
  id: string
  actor: string
  actor_type: string
  surface: string
  request_id: string | null
  action: string
  target_type: string
  target_id: string
  changes: string
}

/** SQLite only (migration 050): the audit log's orders, filled in batches up to `audit_index_mark.seq`. */
export interface AuditEntriesByTimeTable {
  tenant_id: string
  at: string
  id: string
  seq: number
}

export interface AuditEntriesByTargetTable extends AuditEntriesByTimeTable {
  target_id: string
}

export interface AuditIndexMarkTable {
  seq: number
}

export interface IdempotencyKeysTable {
  tenant_id: string
  actor: string
  key_hash: string
  request_hash: string
  response: string | null
  locked_until: string
  expires_at: string
  created_at: string
}

export interface Tables {
  tenants: TenantsTable
  installation: InstallationTable
  admin_keys: AdminKeysTable
  users: UsersTable
  users_search: UsersSearchTable
  user_counts: UserCountsTable
  usage_daily: UsageDailyTable
  usage_monthly: UsageMonthlyTable
  groups: GroupsTable
  group_memberships: GroupMembershipsTable
  credentials: CredentialsTable
  usage_hourly: UsageHourlyTable
  roles: RolesTable
  user_roles: UserRolesTable
  mfa_totp_factors: MfaTotpFactorsTable
  mfa_recovery_codes: MfaRecoveryCodesTable
  auth_attempts: AuthAttemptsTable
  secret_scrub: SecretScrubTable
  audit_entries: AuditEntriesTable
  audit_entries_by_time: AuditEntriesByTimeTable
  audit_entries_by_target: AuditEntriesByTargetTable
  audit_index_mark: AuditIndexMarkTable
  idempotency_keys: IdempotencyKeysTable
}
