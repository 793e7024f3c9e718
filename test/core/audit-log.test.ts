import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { BootstrapKeyError, ConflictError, ForbiddenError, ValidationError, type AuditEntry, type Roster } from '../../src/index.js'
import { base32Decode, totpCode } from '../../src/core/mfa/totp.js'
import { hashSecret } from '../../src/core/secrets.js'
import type { AdminPrincipal } from '../../src/core/principal.js'
import { settableClock, type SettableClock } from '../helpers/settable-clock.js'
import { createTestTenant, openTestRoster, type TestTenant } from '../helpers/roster.js'
import { STORES } from '../helpers/stores.js'

const invalid = (field: string, message: string) => (error: unknown) =>
  error instanceof ValidationError && error.field === field && error.message === message

for (const backend of STORES) {
  describe(`${backend.name}: audit log`, () => {
    let roster: Roster
    let clock: SettableClock
    let acme: TestTenant
    let host: AdminPrincipal

    beforeEach(async () => {
      clock = settableClock('2026-01-26T12:00:00.000Z')
      roster = await openTestRoster({ ...(await backend.roster()), clock })
      acme = await createTestTenant(roster, 'Acme')
      host = roster.principals.tenant(acme.tenantId)
    })
    afterEach(() => roster.close())

    /** Every entry of Acme, oldest first. */
    async function entries(filters: Record<string, unknown> = {}): Promise<AuditEntry[]> {
      return [...(await roster.audit.list(host, { limit: 1000, ...filters })).entries].reverse()
    }
    const actions = async (filters: Record<string, unknown> = {}) => (await entries(filters)).map((e) => e.action)

    it('records the tenant, its first key and its owner as made by the bootstrap key', async () => {
      const { tenant, key, owner } = await roster.tenants.create(roster.principals.bootstrap(), {
        entityName: 'Beta', owner: { email: 'o@beta.test', firstName: 'Olu', lastName: 'Ade' },
      })
      const log = [...(await roster.audit.list(roster.principals.tenant(tenant.id), { limit: 100 })).entries].reverse()
      assert.deepEqual(log.map((e) => [e.action, e.targetId]), [
        ['tenant.created', tenant.id], ['key.created', key.id], ['user.created', owner!.id], ['tenant.ownership_transferred', tenant.id],
      ])
      assert.ok(log.every((e) => e.actor === 'bootstrap' && e.actorType === 'bootstrap' && e.surface === 'library' && e.requestId === null))
      assert.deepEqual(log[3]!.after, { ownerUserId: owner!.id })
      assert.equal(log[1]!.after['name'], key.name)
    })

    it('records each user change with its actor, the fields changed and their values before and after', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada', email: 'ada@acme.test', metadata: { tier: 1 } })
      clock.advanceMs(1000)
      await roster.users.update(acme.principal, user.id, { name: 'Ada L', metadata: { tier: 2 } })
      await roster.users.suspend(host, user.id, { reason: 'unpaid' })
      await roster.users.reactivate(acme.principal, user.id)
      await roster.users.delete(acme.principal, user.id)
      const log = await entries({ target: user.id })
      assert.deepEqual(log.map((e) => e.action), ['user.created', 'user.updated', 'user.suspended', 'user.reactivated', 'user.deleted'])
      const [created, updated, suspended, , deleted] = log
      assert.equal(created!.actor, acme.keyId)
      assert.equal(created!.actorType, 'key')
      assert.equal(created!.surface, 'library')
      assert.equal(created!.tenantId, acme.tenantId)
      assert.equal(created!.at, '2026-01-26T12:00:00.000Z')
      assert.deepEqual(created!.before, {})
      assert.equal(created!.after['email'], 'ada@acme.test')
      assert.deepEqual(updated, {
        ...updated!, at: '2026-01-26T12:00:01.000Z', fields: ['name', 'metadata'],
        before: { name: 'Ada', metadata: { tier: 1 } }, after: { name: 'Ada L', metadata: { tier: 2 } },
      })
      assert.deepEqual([suspended!.actor, suspended!.actorType], ['host', 'host'])
      assert.deepEqual(suspended!.after, { status: 'suspended', suspendedReason: 'unpaid' })
      assert.equal(deleted!.before['name'], 'Ada L')
      assert.deepEqual(deleted!.after, {})
    })

    it('writes nothing when the change does not commit', async () => {
      await roster.users.create(acme.principal, { name: 'Ada', email: 'ada@acme.test' })
      const before = await entries()
      await assert.rejects(roster.users.create(acme.principal, { name: 'Twin', email: 'ADA@acme.test' }), ConflictError)
      const owner = await roster.accountUsers.create(host, acme.tenantId, { email: 'o@acme.test', firstName: 'O', lastName: 'W' })
      await roster.tenants.transferOwnership(host, owner.id)
      const afterTransfer = await entries()
      await assert.rejects(roster.users.delete(acme.principal, owner.id), ForbiddenError)
      await assert.rejects(roster.users.suspend(acme.principal, owner.id), ForbiddenError)
      assert.equal(afterTransfer.length, before.length + 2)
      assert.deepEqual(await entries(), afterTransfer)
    })

    it('records credentials and keys, and never a secret, hash, token or password', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada' })
      const credential = await roster.credentials.create(acme.principal, user.id, { name: 'CI' })
      await roster.credentials.revoke(acme.principal, credential.id)
      await roster.credentials.revoke(acme.principal, credential.id)
      const key = await roster.keys.create(acme.principal, { name: 'Ops', permissions: ['manage_users'] })
      await roster.keys.revoke(acme.principal, key.id)
      const account = await roster.accounts.create(acme.principal, { email: 'pw@acme.test', password: 'correct horse battery' })
      await roster.passwords.set(acme.principal, account.id, 'another good password')
      const reset = await roster.passwords.issueResetToken(acme.principal, account.id)
      await roster.passwords.reset(acme.tenantId, reset.token, 'a third good password')
      await roster.passwords.clear(host, account.id)
      const log = await entries()
      assert.deepEqual(log.slice(2).map((e) => e.action), [
        'user.created', 'credential.created', 'credential.revoked', 'key.created', 'key.revoked',
        'user.created', 'password.set', 'password.reset_token_issued', 'password.reset', 'password.cleared',
      ])
      const byAction = (action: string) => log.find((e) => e.action === action)!
      assert.deepEqual(byAction('credential.revoked').fields, ['revokedAt'])
      assert.deepEqual(byAction('key.revoked').before, { revokedAt: null })
      assert.deepEqual(byAction('password.set').fields, ['password'])
      assert.deepEqual(byAction('password.reset').fields, ['password', 'resetToken'])
      assert.deepEqual([byAction('password.reset').actor, byAction('password.reset').actorType], ['reset_token', 'reset_token'])
      assert.ok(log.filter((e) => e.action === 'user.created')[1]!.fields.includes('password'))
      const stored = JSON.stringify(log)
      for (const secret of [credential.secret, hashSecret(credential.secret), key.secret, hashSecret(key.secret), reset.token, hashSecret(reset.token), 'correct horse', 'another good', 'a third good']) {
        assert.ok(!stored.includes(secret), `the log holds ${secret}`)
      }
      assert.ok(!/secretHash|passwordHash|"hash"/.test(stored))
    })

    it('records roles, groups, memberships, MFA and ownership, and nothing for a change that changes nothing', async () => {
      const user = await roster.users.create(acme.principal, { name: 'Ada', email: 'ada@acme.test' })
      const role = await roster.roles.create(acme.principal, { name: 'viewer' })
      await roster.roles.update(acme.principal, role.id, { description: 'Reads' })
      await roster.roles.grant(acme.principal, user.id, [role.id])
      await roster.roles.grant(acme.principal, user.id, [role.id])
      await roster.roles.revoke(acme.principal, user.id, [role.id])
      await roster.roles.delete(acme.principal, role.id)
      const group = await roster.groups.create(acme.principal, { name: 'Ops' })
      await roster.groups.rename(acme.principal, group.id, { name: 'SRE' })
      await roster.groups.addMember(acme.principal, group.id, user.id)
      await roster.groups.addMember(acme.principal, group.id, user.id)
      await roster.groups.removeMember(acme.principal, group.id, user.id)
      await roster.groups.removeMember(acme.principal, group.id, user.id)
      await roster.groups.delete(acme.principal, group.id)
      await roster.mfa.reset(acme.principal, user.id)
      const { secret } = await roster.mfa.startEnrolment(acme.principal, user.id)
      await roster.mfa.confirm(acme.principal, user.id, { code: totpCode(base32Decode(secret)!, Date.parse(clock.now()) / 1000) })
      await roster.mfa.reset(acme.principal, user.id)
      await roster.tenants.transferOwnership(host, user.id)
      await roster.tenants.transferOwnership(host, user.id)
      const log = await entries()
      assert.deepEqual(log.slice(3).map((e) => e.action), [
        'role.created', 'role.updated', 'user.roles_changed', 'user.roles_changed', 'role.deleted',
        'group.created', 'group.renamed', 'group.member_added', 'group.member_removed', 'group.deleted',
        'mfa.enrolment_started', 'mfa.enabled', 'mfa.reset', 'tenant.ownership_transferred',
      ])
      const find = (action: string) => log.find((e) => e.action === action)!
      assert.deepEqual([find('role.updated').before, find('role.updated').after], [{ description: null }, { description: 'Reads' }])
      assert.deepEqual(find('user.roles_changed').after, { roleIds: [role.id] })
      assert.deepEqual([find('group.renamed').before, find('group.renamed').after], [{ name: 'Ops' }, { name: 'SRE' }])
      assert.deepEqual(find('group.member_added').after, { userId: user.id })
      assert.deepEqual(find('mfa.enabled').fields, ['mfa', 'recoveryCodes'])
      assert.deepEqual(find('tenant.ownership_transferred').after, { ownerUserId: user.id })
      assert.ok(!JSON.stringify(log).includes(secret), 'the TOTP secret is never logged')
    })

    it('names the surface and request id a principal carries', async () => {
      const via = { ...acme.principal, via: { surface: 'iam' as const, requestId: 'req-42' } }
      const account = await roster.accounts.create(via, { email: 'iam@acme.test' })
      await roster.accounts.update(via, account.id, { enabled: false })
      await roster.accounts.update(via, account.id, { enabled: false })
      const log = await entries({ target: account.userId })
      assert.deepEqual(log.map((e) => [e.action, e.surface, e.requestId]), [['user.created', 'iam', 'req-42'], ['user.suspended', 'iam', 'req-42']])
    })

    it('filters and pages the log, and keeps each tenant to its own', async () => {
      const beta = await createTestTenant(roster, 'Beta')
      const users = []
      for (let i = 0; i < 5; i++) {
        clock.advanceMs(60_000)
        users.push(await roster.users.create(i % 2 ? host : acme.principal, { name: `U${i}` }))
      }
      assert.deepEqual((await roster.audit.list(beta.principal)).entries.map((e) => e.action), ['key.created', 'tenant.created'])
      assert.equal((await entries({ actor: 'host' })).length, 2)
      assert.equal((await entries({ action: 'user.created' })).length, 5)
      assert.equal((await entries({ targetType: 'tenant' })).length, 1)
      assert.deepEqual((await entries({ from: '2026-01-26T12:02:00Z', to: '2026-01-26T12:04:00Z' })).map((e) => e.targetId), [users[1]!.id, users[2]!.id])
      const seen: string[] = []
      let cursor: string | undefined
      do {
        const page = await roster.audit.list(acme.principal, { limit: 2, ...(cursor && { cursor }) })
        assert.ok(page.entries.length <= 2)
        seen.push(...page.entries.map((e) => e.id))
        cursor = page.nextCursor ?? undefined
        assert.equal(page.hasMore, cursor !== undefined)
      } while (cursor)
      assert.deepEqual(seen, (await entries()).map((e) => e.id).reverse())
    })

    it('needs view_audit, and names the field of a bad filter', async () => {
      const narrow = await roster.keys.create(acme.principal, { permissions: ['manage_users'] })
      const principal = await roster.authenticate(narrow.secret)
      await assert.rejects(roster.audit.list(principal), (e) => e instanceof ForbiddenError && e.message === 'Permission denied: view_audit required')
      await assert.rejects(roster.audit.list(roster.principals.bootstrap()),
        (e) => e instanceof BootstrapKeyError && e.message === 'Bootstrap key cannot view audit. Create an admin key first.')
      await assert.rejects(roster.audit.list(host, { action: 'user.exploded' as never }), invalid('action', 'action must be one of the audit actions (see the README), e.g. user.created'))
      await assert.rejects(roster.audit.list(host, { targetType: 'planet' as never }), invalid('targetType', 'targetType must be one of tenant, key, user, credential, role, group'))
      await assert.rejects(roster.audit.list(host, { from: 'yesterday' }), invalid('from', 'from must be an ISO 8601 date-time with a timezone, e.g. 2026-01-26T12:00:00Z'))
      await assert.rejects(roster.audit.list(host, { from: '2026-01-02', to: '2026-01-01' }), invalid('to', 'to must be later than from'))
      await assert.rejects(roster.audit.list(host, { cursor: 'nope' }), invalid('cursor', 'cursor is not a cursor returned by this list'))
      await assert.rejects(roster.audit.list(host, { limit: 0 }), invalid('limit', 'limit must be an integer from 1 to 1000'))
      await assert.rejects(roster.audit.list(host, { colour: 'red' } as never), invalid('colour', 'Unknown field: colour'))
    })
  })
}

describe('audit retention', () => {
  it('keeps entries forever by default, and prunes past auditRetentionDays in batches', async () => {
    const clock = settableClock('2026-01-01T00:00:00.000Z')
    const roster = await openTestRoster({ clock, auditRetentionDays: 30 })
    try {
      const acme = await createTestTenant(roster)
      for (let i = 0; i < 1100; i++) await roster.users.create(acme.principal, { name: `Old ${i}` })
      clock.set('2026-01-20T00:00:00.000Z')
      await roster.users.create(acme.principal, { name: 'Recent' })
      assert.equal(await roster.audit.prune(), 0, 'nothing is past 30 days yet')
      clock.set('2026-02-05T00:00:00.000Z')
      assert.equal(await roster.audit.prune(), 1102, 'the tenant, its key and 1100 users, over several batches')
      const left = await roster.audit.list(acme.principal)
      assert.deepEqual(left.entries.map((e) => e.after['name']), ['Recent'])
    } finally {
      await roster.close()
    }
    const forever = await openTestRoster({ clock })
    try {
      assert.equal(await forever.audit.prune(), 0)
    } finally {
      await forever.close()
    }
  })

  it('refuses a retention that is not a whole number of days', async () => {
    for (const days of [0, 1.5, -3, Number.NaN]) {
      await assert.rejects(openTestRoster({ auditRetentionDays: days }),
        invalid('auditRetentionDays', 'auditRetentionDays must be a whole number of days, at least 1'))
    }
  })
})
