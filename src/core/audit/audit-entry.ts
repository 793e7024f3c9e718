import type { TenantId } from '../ids.js'

/** Where a change came from: one of the three HTTP surfaces, or a direct call into the library. */
export const AUDIT_SURFACES = ['admin', 'iam', 'account-users', 'library'] as const
export type AuditSurface = (typeof AUDIT_SURFACES)[number]

/**
 * Who made a change: an admin key (`actor` is its id), a user credential (its id), the host through a
 * trusted principal (`host`), the bootstrap key (`bootstrap`), or a password-reset token (`reset_token`).
 */
export const AUDIT_ACTOR_TYPES = ['key', 'credential', 'host', 'bootstrap', 'reset_token'] as const
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number]

/** Every action roster records; the README lists what each means. */
export const AUDIT_ACTIONS = [
  'tenant.created',
  'tenant.ownership_transferred',
  'key.created',
  'key.revoked',
  'user.created',
  'user.updated',
  'user.suspended',
  'user.reactivated',
  'user.deleted',
  'user.roles_changed',
  'password.set',
  'password.cleared',
  'password.reset_token_issued',
  'password.reset',
  'credential.created',
  'credential.revoked',
  'role.created',
  'role.updated',
  'role.deleted',
  'group.created',
  'group.renamed',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'mfa.enrolment_started',
  'mfa.enabled',
  'mfa.recovery_code_used',
  'mfa.reset',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

export const AUDIT_TARGET_TYPES = ['tenant', 'key', 'user', 'credential', 'role', 'group'] as const
export type AuditTargetType = (typeof AUDIT_TARGET_TYPES)[number]

/** One change as the audit log keeps it. Values of secret fields are never kept: only their names, in `fields`. */
export interface AuditEntry {
  readonly id: string
  readonly tenantId: TenantId
  /** When the change was made (the clock of the call that made it). */
  readonly at: string
  /** The key id, credential id, `host`, `bootstrap` or `reset_token` (see AuditActorType). */
  readonly actor: string
  readonly actorType: AuditActorType
  readonly surface: AuditSurface
  /** The HTTP request id (the `X-Request-Id` answered); null for library calls. */
  readonly requestId: string | null
  readonly action: AuditAction
  readonly targetType: AuditTargetType
  readonly targetId: string
  /** Names of the fields the change touched, secret ones (`password`, `resetToken`) included. */
  readonly fields: readonly string[]
  /** Values before the change of the non-secret fields in `fields`. */
  readonly before: Readonly<Record<string, unknown>>
  /** Values after the change of the non-secret fields in `fields`. */
  readonly after: Readonly<Record<string, unknown>>
}

/** What the audit repository stores; the same as what it returns. */
export type NewAuditEntry = AuditEntry

/** A validated list query as repositories see it: newest first, keyset paged. */
export interface AuditQuery {
  readonly actor?: string | undefined
  readonly action?: string | undefined
  readonly targetType?: string | undefined
  readonly target?: string | undefined
  /** Inclusive lower bound on `at`. */
  readonly from?: string | undefined
  /** Exclusive upper bound on `at`. */
  readonly to?: string | undefined
  readonly limit: number
  /** Only entries older than this one, in list order (`at` descending, then `id` descending). */
  readonly after?: { readonly at: string; readonly id: string } | undefined
}
