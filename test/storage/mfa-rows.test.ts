import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { base32Decode, totpCode } from '../../src/core/mfa/totp.js'
import { manualClock } from '../helpers/manual-clock.js'
import { createTestTenant, openTestRoster } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

describe('MFA rows on disk', () => {
  it('keep recovery codes only as SHA-256 hashes, the TOTP secret as issued, and go with their user', async () => {
    const path = tempDbPath()
    const clock = manualClock()
    const roster = await openTestRoster({ path, clock })
    const acme = await createTestTenant(roster)
    const [ada, bob] = [
      await roster.users.create(acme.principal, { name: 'Ada' }),
      await roster.users.create(acme.principal, { name: 'Bob' }),
    ]
    let secret = ''
    let recoveryCodes: readonly string[] = []
    for (const user of [ada, bob]) {
      const enrolment = await roster.mfa.startEnrolment(acme.principal, user.id)
      const confirmed = await roster.mfa.confirm(acme.principal, user.id, { code: totpCode(base32Decode(enrolment.secret)!, clock.seconds()) })
      if (user === ada) [secret, recoveryCodes] = [enrolment.secret, confirmed.recoveryCodes]
    }
    await roster.mfa.verify(acme.principal, ada.id, { code: recoveryCodes[0]! })
    await roster.users.delete(acme.principal, bob.id)
    await roster.close()

    const db = new Database(path, { readonly: true })
    try {
      const codes = db.prepare('select user_id, code_hash, used_at from mfa_recovery_codes order by code_hash').all() as
        { user_id: string; code_hash: string; used_at: string | null }[]
      assert.deepEqual(new Set(codes.map((row) => row.user_id)), new Set([ada.id]))
      assert.deepEqual(codes.map((row) => row.code_hash), recoveryCodes.map((code) => sha256(code.replace('-', ''))).sort())
      assert.deepEqual(codes.filter((row) => row.used_at !== null).map((row) => row.code_hash), [sha256(recoveryCodes[0]!.replace('-', ''))])
      const dump = JSON.stringify(db.prepare('select * from mfa_recovery_codes').all())
      for (const code of recoveryCodes) {
        assert.ok(!dump.includes(code) && !dump.includes(code.replace('-', '')), 'a recovery code is stored in plain text')
      }
      const factors = db.prepare('select user_id, secret, status from mfa_totp_factors').all()
      assert.deepEqual(factors, [{ user_id: ada.id, secret, status: 'confirmed' }])
    } finally {
      db.close()
    }
  })
})
