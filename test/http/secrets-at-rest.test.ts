import assert from 'node:assert/strict'
import { existsSync, readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { base32Decode, hotp, totpStep } from '../../src/core/mfa/totp.js'
import { request } from '../helpers/http.js'
import { manualClock } from '../helpers/manual-clock.js'
import { openTestRoster } from '../helpers/roster.js'
import { startTestServer } from '../helpers/server.js'
import { tempDbPath } from '../helpers/temp-db.js'

/** Everything a copy of the database would hold: the file, its WAL and its shared-memory index. */
function databaseBytes(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f)))
}

/** Each spelling of a secret worth searching for: as handed out, and for raw-byte secrets their bytes in common encodings. */
function spellings(secret: string, raw?: Buffer): Buffer[] {
  const texts = [secret, secret.toLowerCase(), secret.replace(/-/g, '')]
  if (raw) texts.push(raw.toString('hex'), raw.toString('base64'), raw.toString('base64url'))
  const found: Buffer[] = [...new Set(texts)].map((t) => Buffer.from(t))
  return raw ? [...found, raw] : found
}

describe('secrets at rest: a copy of the database files reveals none', () => {
  it('no key, credential, password, reset token, TOTP secret or recovery code handed out is in the files', async () => {
    const file = tempDbPath()
    const clock = manualClock()
    const server = await startTestServer(await openTestRoster({ path: file, clock, bootstrapKey: undefined }))
    const handedOut: { what: string; secret: string; raw?: Buffer }[] = []
    const keep = (what: string, secret: string, raw?: Buffer) => (handedOut.push({ what, secret, ...(raw && { raw }) }), secret)
    const call = async (path: string, key: string, method = 'GET', body?: unknown, status = method === 'POST' ? 201 : 200) => {
      const response = await request(server.url, path, { method, key, body })
      assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`)
      return response.body
    }
    let closed = false
    try {
      const bootstrap = keep('bootstrap key', (await server.roster.bootstrap.ensureKey())!)
      const created = (await call('/v1/admin/keys', bootstrap, 'POST', {
        entity_name: 'Acme', owner: { email_address: 'olive@acme.com', first_name: 'Olive', last_name: 'Owner' },
      })).data
      const admin = keep('admin key', created.key)
      const tenantId: string = created.tenant_id
      keep('second admin key', (await call('/v1/admin/keys', admin, 'POST', { name: 'Support', permissions: ['manage_users'] })).data.key)
      keep('recovery key', (await call('/v1/admin/keys', bootstrap, 'POST', { tenant_id: tenantId })).data.key)

      const user = (await call('/v1/admin/users', admin, 'POST', { name: 'Customer', email: 'customer@acme.com' })).data
      keep('credential', (await call(`/v1/admin/users/${user.id}/credentials`, admin, 'POST', { name: 'laptop' })).data.key)

      const password = keep('password at creation', 'first password, long enough 1')
      const account = (await call('/api/v3/iam/accounts', admin, 'POST', { data: { type: 'accounts', attributes: { email: 'ann@acme.com', password } } })).data
      const patched = keep('password set by PATCH', 'second password, long enough 2')
      await call(`/api/v3/iam/accounts/${account.id}`, admin, 'PATCH', { data: { type: 'accounts', attributes: { password: patched } } })
      const token = keep('reset token', (await call(`/api/v3/iam/accounts/${account.id}/password-reset`, admin, 'POST')).data.attributes.token)
      await server.roster.passwords.reset(tenantId, token, keep('password set by reset', 'third password, long enough 3'))

      const enrol = await call(`/accounts/${tenantId}/users/${user.id}/mfa/totp`, admin, 'POST', {})
      const totp = keep('TOTP secret', enrol.secret, base32Decode(enrol.secret)!)
      const code = hotp(base32Decode(totp)!, totpStep(clock.seconds()))
      const confirmed = await call(`/accounts/${tenantId}/users/${user.id}/mfa/totp/confirm`, admin, 'POST', { code }, 200)
      for (const recovery of confirmed.recovery_codes as string[]) keep('recovery code', recovery)
      assert.equal(handedOut.filter((s) => s.what === 'recovery code').length, 10)

      // Searched twice: with the server up (recent writes are in the WAL) and after a clean close.
      for (const moment of ['while serving', 'after close']) {
        if (moment === 'after close') {
          await server.close()
          closed = true
        }
        const bytes = databaseBytes(file)
        assert.ok(bytes.length > 0 && bytes.includes('customer@acme.com'), 'the search reads the real files')
        for (const { what, secret, raw } of handedOut) {
          for (const spelling of spellings(secret, raw)) assert.ok(!bytes.includes(spelling), `${what} found ${moment}: ${spelling.toString()}`)
        }
      }
    } finally {
      if (!closed) await server.close()
    }
  })
})
