import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  matchTotp,
  otpauthUri,
  totpCode,
  totpStep,
} from '../../src/core/mfa/totp.js'

// RFC 6238 appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", codes are 8 digits.
const RFC6238_KEY = Buffer.from('12345678901234567890', 'ascii')
const RFC6238_SHA1: [seconds: number, step: string, code: string][] = [
  [59, '0000000000000001', '94287082'],
  [1111111109, '00000000023523EC', '07081804'],
  [1111111111, '00000000023523ED', '14050471'],
  [1234567890, '000000000273EF07', '89005924'],
  [2000000000, '0000000003F940AA', '69279037'],
  [20000000000, '0000000027BC86AA', '65353130'],
]

// RFC 4226 appendix D: HOTP values of the same key for counters 0 to 9.
const RFC4226 = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489']

describe('TOTP (RFC 6238)', () => {
  it('matches every SHA-1 test vector of RFC 6238 appendix B, time step included', () => {
    for (const [seconds, step, code] of RFC6238_SHA1) {
      assert.equal(totpStep(seconds), parseInt(step, 16), `step at ${seconds}`)
      assert.equal(totpCode(RFC6238_KEY, seconds, 8), code, `code at ${seconds}`)
      assert.equal(matchTotp(RFC6238_KEY, code, seconds, 1, 8), parseInt(step, 16), `match at ${seconds}`)
    }
  })

  it('matches the HOTP values of RFC 4226 appendix D', () => {
    assert.deepEqual(RFC4226.map((_, counter) => hotp(RFC6238_KEY, counter)), RFC4226)
  })

  it('gives six zero-padded digits by default', () => {
    // Counter 1 of the RFC key truncates to 1287082, whose last six digits are 287082.
    assert.equal(totpCode(RFC6238_KEY, 30), '287082')
    for (let counter = 0; counter < 200; counter++) assert.match(hotp(RFC6238_KEY, counter), /^\d{6}$/)
  })

  it('accepts the current step and one either side, nearest first, and nothing further', () => {
    const now = 1111111111
    const step = totpStep(now)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, step), now), step)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, step - 1), now), step - 1)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, step + 1), now), step + 1)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, step - 2), now), null)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, step + 2), now), null)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, step + 2), now, 2), step + 2)
  })

  it('refuses codes that are not digits, of another length, or wrong', () => {
    const now = 1234567890
    const code = totpCode(RFC6238_KEY, now)
    for (const bad of ['', 'abcdef', `${code}0`, code.slice(1), ` ${code}`, '-12345']) {
      assert.equal(matchTotp(RFC6238_KEY, bad, now), null, JSON.stringify(bad))
    }
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0')
    const nearby = [-1, 0, 1].map((d) => hotp(RFC6238_KEY, totpStep(now) + d))
    if (!nearby.includes(wrong)) assert.equal(matchTotp(RFC6238_KEY, wrong, now), null)
  })

  it('never looks at steps before zero', () => {
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, 0), 10), 0)
    assert.equal(matchTotp(RFC6238_KEY, hotp(RFC6238_KEY, 1), 10), 1)
  })
})

describe('base32 (RFC 4648)', () => {
  it('encodes the RFC 4648 §10 vectors, without padding', () => {
    const vectors = { '': '', f: 'MY', fo: 'MZXQ', foo: 'MZXW6', foob: 'MZXW6YQ', fooba: 'MZXW6YTB', foobar: 'MZXW6YTBOI' }
    for (const [plain, encoded] of Object.entries(vectors)) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded)
      assert.equal(base32Decode(encoded)?.toString(), plain)
    }
  })

  it('decodes padded, lower-case and spaced input, and refuses other characters', () => {
    assert.equal(base32Decode('MZXW6YQ=')?.toString(), 'foob')
    assert.equal(base32Decode('mzxw 6ytb oi')?.toString(), 'foobar')
    assert.equal(base32Decode('MZXW1'), null)
    assert.equal(base32Decode('MZ-XW'), null)
  })

  it('round-trips any bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      assert.deepEqual(base32Decode(base32Encode(bytes)), Buffer.from(bytes))
    }))
  })
})

describe('TOTP secrets and otpauth URIs', () => {
  it('generates 160-bit base32 secrets that differ', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateTotpSecret))
    assert.equal(secrets.size, 50)
    for (const secret of secrets) {
      assert.match(secret, /^[A-Z2-7]{32}$/)
      assert.equal(base32Decode(secret)?.length, 20)
    }
  })

  it('builds the Key Uri Format with issuer prefix, secret and the RFC 6238 parameters', () => {
    const uri = otpauthUri({ issuer: 'Acme Inc', label: 'ada+mfa@acme.com', secret: 'JBSWY3DPEHPK3PXP' })
    assert.equal(
      uri,
      'otpauth://totp/Acme%20Inc:ada%2Bmfa%40acme.com?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Inc&algorithm=SHA1&digits=6&period=30',
    )
    const parsed = new URL(uri)
    assert.deepEqual([parsed.protocol, parsed.host, decodeURIComponent(parsed.pathname)], ['otpauth:', 'totp', '/Acme Inc:ada+mfa@acme.com'])
    assert.deepEqual(Object.fromEntries(parsed.searchParams), {
      secret: 'JBSWY3DPEHPK3PXP', issuer: 'Acme Inc', algorithm: 'SHA1', digits: '6', period: '30',
    })
  })
})
