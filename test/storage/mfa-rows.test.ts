import assert from 'node:assert/strict'
import { createHash, scryptSync } from 'node:crypto'
import { describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { base32Decode, totpCode } from '../../src/core/mfa/totp.js'
import { manualClock } from '../helpers/manual-clock.js'
import { createTestTenant, openTestRoster } from '../helpers/roster.js'
import { tempDbPath } from '../helpers/temp-db.js'

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
/** What roster stores for a recovery code: scrypt (N=2^12, r=8, p=1) of its SHA-256 under the user's salt. */
const stored = (code: string, salt: string) =>
  scryptSync(sha256(code.replace('-', '')), Buffer.from(salt, 'base64url'), 32, { N: 2 ** 12, r: 8, p: 1 }).toString('base64url')

describe('MFA rows on disk', () => {
  it('keep recovery codes only as salted scrypt hashes, the TOTP secret sealed with its key id, and go with their user', async () => {
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
    const keyId = roster.secrets.keyId()
    await roster.close()

    const db = new Database(path, { readonly: true })
    try {
      const codes = db.prepare('select user_id, code_hash, salt, used_at from mfa_recovery_codes order by code_hash').all() as
        { user_id: string; code_hash: string; salt: string; used_at: string | null }[]
      assert.deepEqual(new Set(codes.map((row) => row.user_id)), new Set([ada.id]))
      const salts = new Set(codes.map((row) => row.salt))
      assert.equal(salts.size, 1, 'one salt per user')
      const salt = codes[0]!.salt
      assert.match(salt, /^[\w-]{22}$/)
      assert.deepEqual(codes.map((row) => row.code_hash), recoveryCodes.map((code) => stored(code, salt)).sort())
      assert.deepEqual(codes.filter((row) => row.used_at !== null).map((row) => row.code_hash), [stored(recoveryCodes[0]!, salt)])
      const dump = JSON.stringify(db.prepare('select * from mfa_recovery_codes').all())
      for (const code of recoveryCodes) {
        assert.ok(!dump.includes(code) && !dump.includes(code.replace('-', '')), 'a recovery code is stored in plain text')
        assert.ok(!dump.includes(sha256(code.replace('-', ''))), 'a recovery code is stored as a bare SHA-256')
      }
      const factors = db.prepare('select user_id, secret, secret_key_id, status from mfa_totp_factors').all() as
        { user_id: string; secret: string; secret_key_id: string; status: string }[]
      assert.deepEqual(factors.map((f) => [f.user_id, f.secret_key_id, f.status]), [[ada.id, keyId, 'confirmed']])
      // IV (12) + 32 base32 characters + GCM tag (16), in base64url.
      assert.match(factors[0]!.secret, /^[\w-]{80}$/)
      assert.ok(!factors[0]!.secret.includes(secret))
    } finally {
      db.close()
    }
  })
})
