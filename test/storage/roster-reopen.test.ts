import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConflictError, openRoster, UnauthenticatedError } from '../../src/index.js'
import { BOOTSTRAP_KEY } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'

describe('openRoster over a file', () => {
  it('finds tenants, keys and users again after close and reopen', async () => {
    const path = tempDbPath()
    const first = await openRoster({ path, bootstrapKey: BOOTSTRAP_KEY })
    const { tenant, key, owner } = await first.tenants.create(first.principals.bootstrap(), {
      entityName: 'Acme', owner: { email: 'ada@acme.com', firstName: 'Ada', lastName: 'Lovelace' } })
    const admin = await first.authenticate(key.secret)
    const extra = await first.keys.create(admin, { name: 'Support', permissions: ['manage_users'] })
    const revoked = await first.keys.create(admin, { name: 'Gone' })
    await first.keys.revoke(admin, revoked.id)
    const user = await first.users.create(admin, { name: 'Acme Corp', externalId: 'cust_1', email: 'api@acme.com', metadata: { tier: 'pro' } })
    const suspended = await first.users.suspend(admin, user.id, { reason: 'unpaid' })
    await first.close()

    // Opened without a bootstrap key: the stored one still counts.
    const second = await openRoster({ path })
    try {
      assert.equal((await second.authenticate(BOOTSTRAP_KEY)).kind, 'bootstrap')
      const again = await second.authenticate(key.secret)
      assert.deepEqual(again, admin)
      assert.deepEqual(await second.authenticate(extra.secret), { kind: 'admin', tenantId: tenant.id, keyId: extra.id, permissions: new Set(['manage_users']) })
      await assert.rejects(second.authenticate(revoked.secret), UnauthenticatedError)
      assert.deepEqual(await second.tenants.get(again, tenant.id), { ...tenant, ownerUserId: owner?.id })
      assert.equal((await second.keys.list(again)).length, 3)
      assert.deepEqual(await second.users.get(again, user.id), suspended)
      assert.deepEqual(await second.users.getByExternalId(again, 'cust_1'), suspended)
      assert.equal((await second.users.list(again)).total, 2)
      await assert.rejects(second.users.create(again, { name: 'Dup', email: 'API@acme.com' }), ConflictError)
      assert.equal((await second.users.create(again, { name: 'Next' })).number, 3)
    } finally {
      await second.close()
    }
  })
})
