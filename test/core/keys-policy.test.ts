import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { ConflictError, ForbiddenError, NotFoundError, PERMISSIONS, ValidationError, type AdminPrincipal, type Roster } from '../../src/index.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const LAST_KEY = 'Cannot revoke the last active key holding manage_keys: create another key with manage_keys first'

for (const backend of STORES) {
  describe(`${backend.name}: key policy`, () => {
    let roster: Roster
    let acme: TestTenant
    const principal = async (secret: string) => (await roster.authenticate(secret)) as AdminPrincipal

    beforeEach(async () => {
      roster = await openTestRoster(await backend.roster())
      acme = await createTestTenant(roster, 'Acme')
    })
    afterEach(() => roster.close())

    it('a key revokes only keys whose permissions it holds itself', async () => {
      const keysOnly = await roster.keys.create(acme.principal, { name: 'Keys only', permissions: ['manage_keys'] })
      const narrow = await principal(keysOnly.secret)
      await assert.rejects(roster.keys.revoke(narrow, acme.keyId), (e) =>
        e instanceof ForbiddenError && e.message === 'Permission denied: cannot revoke a key holding manage_users, manage_credentials, record_usage, manage_roles, manage_groups, view_audit without holding it')
      assert.equal((await roster.authenticate(acme.key)).kind, 'admin')
      const users = await roster.keys.create(acme.principal, { permissions: ['manage_users'] })
      await assert.rejects(roster.keys.revoke(narrow, users.id), ForbiddenError)
      const twin = await roster.keys.create(acme.principal, { permissions: ['manage_keys'] })
      assert.notEqual((await roster.keys.revoke(narrow, twin.id)).revokedAt, null)
      // The all-permission key revokes anything.
      assert.notEqual((await roster.keys.revoke(acme.principal, keysOnly.id)).revokedAt, null)
      assert.notEqual((await roster.keys.revoke(acme.principal, users.id)).revokedAt, null)
    })

    it('the last active key holding manage_keys cannot be revoked, by itself or by the host', async () => {
      await assert.rejects(roster.keys.revoke(acme.principal, acme.keyId), (e) => e instanceof ConflictError && e.message === LAST_KEY)
      await assert.rejects(roster.keys.revoke(roster.principals.tenant(acme.tenantId), acme.keyId), ConflictError)
      const other = await roster.keys.create(acme.principal, { permissions: ['manage_keys', 'manage_users'] })
      const revoked = await roster.keys.revoke(await principal(other.secret), other.id).catch((e: unknown) => e)
      assert.ok(!(revoked instanceof Error), 'two keepers: either may go')
      await assert.rejects(roster.keys.revoke(acme.principal, acme.keyId), ConflictError)
      // Keys without manage_keys never count as keepers, and may always go.
      const usersOnly = await roster.keys.create(acme.principal, { permissions: ['manage_users'] })
      await roster.keys.revoke(acme.principal, usersOnly.id)
      assert.equal((await roster.keys.list(acme.principal)).filter((k) => k.revokedAt === null).length, 1)
    })

    it('recovers a tenant that lost every usable key: the bootstrap principal issues a recovery key', async () => {
      const recovered = await roster.keys.recover(roster.principals.bootstrap(), { tenantId: acme.tenantId.toUpperCase() })
      assert.deepEqual([recovered.tenantId, recovered.tenantName, recovered.name, [...recovered.permissions]], [acme.tenantId, 'Acme', 'Recovery key', [...PERMISSIONS]])
      const admin = await principal(recovered.secret)
      assert.equal(admin.tenantId, acme.tenantId)
      // Now the original key may go: the recovery key keeps manage_keys.
      await roster.keys.revoke(admin, acme.keyId)
      const narrowed = await roster.keys.recover(roster.principals.bootstrap(), { tenantId: acme.tenantId, name: 'Audit', permissions: ['manage_users'] })
      assert.deepEqual([narrowed.name, narrowed.permissions], ['Audit', ['manage_users']])
      assert.deepEqual((await roster.keys.list(admin)).map((k) => k.name).sort(), ['Admin key', 'Audit', 'Recovery key'])
    })

    it('only the bootstrap principal recovers, only existing tenants, with clear errors for bad input', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      for (const who of [acme.principal, roster.principals.tenant(beta.tenantId)]) {
        await assert.rejects(roster.keys.recover(who, { tenantId: beta.tenantId }), (e) => e instanceof ForbiddenError && e.message === 'Only the bootstrap key can issue recovery keys')
      }
      const bootstrap = roster.principals.bootstrap()
      for (const tenantId of ['nope', '00000000-0000-4000-8000-000000000000']) {
        await assert.rejects(roster.keys.recover(bootstrap, { tenantId }), (e) => e instanceof NotFoundError && e.message === 'Tenant not found')
      }
      await assert.rejects(roster.keys.recover(bootstrap, { tenantId: 42 } as never), (e) => e instanceof ValidationError && e.field === 'tenantId')
      await assert.rejects(roster.keys.recover(bootstrap, { tenantId: beta.tenantId, entityName: 'X' } as never), (e) => e instanceof ValidationError && e.message === 'Unknown field: entityName')
      await assert.rejects(roster.keys.recover(bootstrap, { tenantId: beta.tenantId, permissions: ['root'] } as never), ValidationError)
      assert.equal((await roster.keys.list(beta.principal)).length, 1)
    })
  })
}
