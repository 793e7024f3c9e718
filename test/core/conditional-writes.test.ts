import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { PreconditionFailedError, ValidationError, type Roster } from '../../src/index.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const stale = (current: number) => (error: unknown) =>
  error instanceof PreconditionFailedError && error.code === 'precondition_failed' && error.currentVersion === current &&
  error.message === 'The resource has changed since it was read: read it again and retry'

for (const backend of STORES) {
  describe(`${backend.name}: versions and ifVersion`, () => {
    let roster: Roster
    let acme: TestTenant

    beforeEach(async () => {
      roster = await openTestRoster(await backend.roster())
      acme = await createTestTenant(roster, 'Acme')
    })
    afterEach(() => roster.close())

    it('raises a user’s version with every change on every surface, memberships included', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada', email: 'ada@acme.test' })
      assert.equal(user.version, 1)
      const seen = [user.version]
      const version = async () => (await roster.users.get(acme.principal, user.id)).version
      const steps: (() => Promise<unknown>)[] = [
        () => roster.users.update(acme.principal, user.id, { name: 'Ada L' }),
        () => roster.users.suspend(acme.principal, user.id),
        () => roster.users.reactivate(acme.principal, user.id),
        () => roster.accounts.update(acme.principal, user.id, { accountType: 'service' }),
        () => roster.passwords.set(acme.principal, user.id, 'a long enough password'),
        () => roster.passwords.issueResetToken(acme.principal, user.id),
        async () => roster.roles.grant(acme.principal, user.id, [(await roster.roles.create(acme.principal, { name: 'viewer' })).id]),
        async () => roster.groups.addMember(acme.principal, (await roster.groups.create(acme.principal, { name: 'Ops' })).id, user.id),
      ]
      for (const step of steps) {
        await step()
        seen.push(await version())
      }
      assert.deepEqual(seen, [...seen].sort((a, b) => a - b))
      assert.equal(new Set(seen).size, seen.length, `every step raised the version: ${seen.join(', ')}`)
      assert.equal((await roster.accounts.get(acme.principal, user.id)).account.version, seen.at(-1))
    })

    it('updates and deletes only at the version given, and names the current one when it moved', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada' })
      const renamed = await roster.users.update(acme.principal, user.id, { name: 'B' }, { ifVersion: 1 })
      assert.equal(renamed.version, 2)
      await assert.rejects(roster.users.update(acme.principal, user.id, { name: 'C' }, { ifVersion: 1 }), stale(2))
      await assert.rejects(roster.users.update(acme.principal, user.id, {}, { ifVersion: 1 }), stale(2))
      assert.equal((await roster.users.get(acme.principal, user.id)).name, 'B', 'a refused write changes nothing')
      await assert.rejects(roster.users.delete(acme.principal, user.id, { ifVersion: 1 }), stale(2))
      await roster.users.delete(acme.principal, user.id, { ifVersion: 2 })

      const account = await roster.accounts.create(acme.principal, { email: 'iam@acme.test' })
      await assert.rejects(roster.accounts.update(acme.principal, account.id, { enabled: false }, { ifVersion: 9 }), stale(1))
      assert.equal((await roster.accounts.update(acme.principal, account.id, { enabled: false }, { ifVersion: 1 })).enabled, false)
      await assert.rejects(roster.accounts.delete(acme.principal, account.id, { ifVersion: 1 }), stale(2))

      const role = await roster.roles.create(acme.principal, { name: 'viewer' })
      await assert.rejects(roster.roles.update(acme.principal, role.id, { description: 'x' }, { ifVersion: 2 }), stale(1))
      assert.equal((await roster.roles.update(acme.principal, role.id, { description: 'x' }, { ifVersion: 1 })).version, 2)
      await assert.rejects(roster.roles.delete(acme.principal, role.id, { ifVersion: 1 }), stale(2))
      await roster.roles.delete(acme.principal, role.id, { ifVersion: 2 })

      const group = await roster.groups.create(acme.principal, { name: 'Ops' })
      assert.equal((await roster.groups.rename(acme.principal, group.id, { name: 'SRE' }, { ifVersion: 1 })).version, 2)
      await assert.rejects(roster.groups.rename(acme.principal, group.id, { name: 'X' }, { ifVersion: 1 }), stale(2))
      await assert.rejects(roster.groups.delete(acme.principal, group.id, { ifVersion: 1 }), stale(2))
      await roster.groups.delete(acme.principal, group.id, { ifVersion: 2 })

      const member = await roster.accountUsers.create(acme.principal, acme.tenantId, { email: 'm@acme.test', firstName: 'M', lastName: 'N' })
      await assert.rejects(roster.accountUsers.delete(acme.principal, acme.tenantId, member.id, { ifVersion: 5 }), stale(1))
      await roster.accountUsers.delete(acme.principal, acme.tenantId, member.id, { ifVersion: 1 })
    })

    it('lets exactly one of two writers holding the same version through', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada' })
      const results = await Promise.allSettled([
        roster.users.update(acme.principal, user.id, { name: 'First' }, { ifVersion: 1 }),
        roster.users.update(acme.principal, user.id, { name: 'Second' }, { ifVersion: 1 }),
      ])
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'])
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
      assert.ok(refused.reason instanceof PreconditionFailedError)
      const won = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ name: string }>
      assert.equal((await roster.users.get(acme.principal, user.id)).name, won.value.name)
    })

    it('checks the version only after the resource is found and the caller allowed, and refuses a malformed one', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada' })
      for (const ifVersion of [0, -1, 1.5, '1', Number.NaN]) {
        await assert.rejects(roster.users.update(acme.principal, user.id, { name: 'X' }, { ifVersion } as never),
          (e) => e instanceof ValidationError && e.field === 'ifVersion' && e.message === 'ifVersion must be a positive integer')
      }
      await assert.rejects(roster.users.update(acme.principal, '00000000-0000-4000-8000-000000000000', { name: 'X' }, { ifVersion: 7 }),
        (e) => (e as Error).message === 'User not found')
    })
  })
}
