import type { AdminKey, IssuedAdminKey } from '../../core/keys/admin-key.js'
import type { User } from '../../core/users/user.js'
import type { UserPage } from '../../core/users/user-list-query.js'
import type { Reply } from '../router.js'
import { SECRET_HEADERS } from '../secret-headers.js'

/** Seed 000's user object, in its field order, plus the profile names roster also accepts. */
export function adminUser(user: User) {
  return {
    id: user.id,
    admin_key_id: user.adminKeyId,
    admin_entity_name: user.tenantName,
    external_id: user.externalId,
    name: user.name,
    email: user.email,
    metadata: user.metadata,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    status: user.status,
    billing_plan: user.billingPlan,
    first_name: user.firstName,
    last_name: user.lastName,
  }
}

export function adminKey(key: AdminKey) {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    permissions: key.permissions,
    tenant_id: key.tenantId,
    created_at: key.createdAt,
    revoked_at: key.revokedAt,
  }
}

/** SPEC.md's key-creation data: the only place a key's secret is ever returned. */
export function issuedAdminKey(key: IssuedAdminKey) {
  return {
    id: key.id,
    name: key.name,
    key: key.secret,
    permissions: key.permissions,
    tenant_id: key.tenantId,
    admin_entity_name: key.tenantName,
    created_at: key.createdAt,
  }
}

export function pagination(page: UserPage) {
  return {
    total: page.total,
    limit: page.limit,
    offset: page.offset,
    has_more: page.hasMore,
    next_cursor: page.nextCursor,
  }
}

/** `{success: true, data, message?}` with the given status. */
export function ok(data: unknown, message?: string, status = 200, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { success: true, data, ...extra, ...(message !== undefined && { message }) } }
}

/** `ok` for an answer that carries a secret shown once: never cached. */
export function okSecret(data: unknown, message: string, status: number): Reply {
  return { ...ok(data, message, status), headers: SECRET_HEADERS }
}
