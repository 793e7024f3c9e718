import { ApiError, call } from './api.js'
import type { AdminKey, JsonApiList, Permission } from './api-types.js'

// sessionStorage only: the key lives as long as this tab, is never sent as a cookie (so no CSRF), and
// signing out or closing the tab forgets it.
const STORAGE_NAME = 'roster-console-key'

export function storedKey(): string | null {
  return sessionStorage.getItem(STORAGE_NAME)
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_NAME, key)
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_NAME)
}

/** Who the signed-in key is, as far as the APIs tell it. */
export interface Identity {
  readonly key: string
  /** The key's own record, when it may list keys (manage_keys). */
  readonly self: AdminKey | null
  /** Its permissions, or null when it may not list keys and they are unknown (each page then asks and says what it was refused). */
  readonly permissions: ReadonlySet<Permission> | null
  /** The tenant's id (the account users surface's accountId), when some API the key may use names it. */
  readonly tenantId: string | null
  readonly tenantName: string | null
}

/** May the key do this? Unknown permissions count as yes: the API answers, and its refusal is shown. */
export function mayUse(identity: Identity, permission: Permission): boolean {
  return identity.permissions === null || identity.permissions.has(permission)
}

/**
 * Finds out who `key` is. Rejects with an ApiError when roster refuses the key outright (unknown,
 * revoked, the bootstrap key, a user credential); a key without manage_keys or manage_users is fine.
 */
export async function identify(key: string): Promise<Identity> {
  const [keys, organization] = await Promise.allSettled([
    call<{ data: AdminKey[] }>('/v1/admin/keys', { key }),
    // Any account names the tenant (its organization); needs manage_users and one account.
    call<JsonApiList<unknown>>('/api/v3/iam/accounts?page%5Bsize%5D=1&include=organization&fields%5Baccounts%5D=organization', { key }),
  ])
  if (keys.status === 'rejected') {
    const error = keys.reason as unknown
    // 403 is a real key lacking manage_keys; anything else refused the key itself.
    if (!(error instanceof ApiError) || error.status !== 403) throw error
  }
  const list = keys.status === 'fulfilled' ? keys.value.body.data : null
  // A key's prefix is the start of its secret; two live keys sharing one would leave the match unknown.
  const matches = list?.filter((k) => k.revoked_at === null && key.startsWith(k.prefix)) ?? []
  const self = matches.length === 1 ? matches[0]! : null
  const org = organization.status === 'fulfilled' ? organization.value.body.included?.find((r) => r.type === 'organizations') : undefined
  const orgName = org?.attributes['name']
  return {
    key,
    self,
    permissions: self ? new Set(self.permissions) : null,
    tenantId: self?.tenant_id ?? org?.id ?? null,
    tenantName: typeof orgName === 'string' ? orgName : null,
  }
}
