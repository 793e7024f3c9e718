import { newId, type AdminKeyId, type TenantId } from '../../src/core/ids.js'
import type { NewAdminKey } from '../../src/core/keys/admin-key.js'
import type { Store } from '../../src/core/ports/store.js'
import { hashSecret } from '../../src/core/secrets.js'
import { newUser as newUserWithDefaults } from '../../src/core/users/new-user.js'
import type { NewUser } from '../../src/core/users/user.js'

export const AT = '2026-01-26T12:00:00.000Z'

/** Inserts a tenant named `name` straight through the port and returns its id. */
export async function addTenant(store: Store, name = 'Acme'): Promise<TenantId> {
  const id = newId<TenantId>()
  await store.transaction((tx) => tx.tenants.insert({ id, name, ownerUserId: null, createdAt: AT }))
  return id
}

/** A complete NewUser with a fresh id; `overrides` replace any field. */
export function newUser(overrides: Partial<NewUser> = {}): NewUser {
  return newUserWithDefaults({ name: 'Someone', createdAt: AT, adminKeyId: null, ...overrides })
}

/** A NewAdminKey whose secret is `secret`, holding `permissions`. */
export function newKey(secret: string, overrides: Partial<NewAdminKey> = {}): NewAdminKey {
  return {
    id: newId<AdminKeyId>(),
    name: 'Admin key',
    secretHash: hashSecret(secret),
    prefix: secret.slice(0, 14),
    permissions: ['manage_users', 'manage_keys'],
    createdAt: AT,
    ...overrides,
  }
}
