import { randomBytes, scrypt } from 'node:crypto'
import { customAlphabet } from 'nanoid'
import { hashSecret } from '../secrets.js'

export const RECOVERY_CODE_COUNT = 10
// Crockford's base32 alphabet in lower case: no i, l, o or u to misread when typed from paper.
const RECOVERY_BODY = customAlphabet('0123456789abcdefghjkmnpqrstvwxyz', 10)
const RECOVERY_SHAPE = /^[0-9a-z]{10}$/
// 50 random bits are too few for a bare fast hash (a copied database could be searched for every
// code at once), so codes are stretched with scrypt (N=2^12, r=8: 4 MiB, a few ms) under a salt per user.
const SCRYPT = { N: 2 ** 12, r: 8, p: 1, maxmem: 32 * 1024 * 1024 }
const HASH_BYTES = 32

/** Fresh one-time recovery codes from the CSPRNG, 50 bits each, shown as `xxxxx-xxxxx`. */
export function generateRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const body = RECOVERY_BODY()
    return `${body.slice(0, 5)}-${body.slice(5)}`
  })
}

/** The code as typed with case, spaces and hyphens removed, or null when it cannot be a recovery code. */
export function normalizeRecoveryCode(code: string): string | null {
  const clean = code.replace(/[\s-]/g, '').toLowerCase()
  return RECOVERY_SHAPE.test(clean) ? clean : null
}

/** A fresh per-user salt for a batch of recovery codes. */
export function newRecoverySalt(): string {
  return randomBytes(16).toString('base64url')
}

/**
 * What an earlier roster stored for a code (its bare SHA-256), kept as the first stage so hashes of
 * that roster can be salted without the code: stored = scrypt(sha256(code), salt).
 */
export function legacyRecoveryHash(code: string): string {
  return hashSecret(normalizeRecoveryCode(code) ?? code)
}

/** The stored form of a legacy hash under `salt`. Runs on libuv's thread pool: call it outside transactions. */
export function saltRecoveryHash(legacyHash: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(legacyHash, Buffer.from(salt, 'base64url'), HASH_BYTES, SCRYPT, (error, key) => (error ? reject(error) : resolve(key.toString('base64url'))))
  })
}

/** The stored form of a recovery code under the user's salt. Call it outside transactions. */
export function hashRecoveryCode(code: string, salt: string): Promise<string> {
  return saltRecoveryHash(legacyRecoveryHash(code), salt)
}
