import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import * as v from 'valibot'

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256

/** A new password: 8 to 256 characters, kept exactly as given (no trimming). */
export const passwordSchema = (field = 'password') =>
  v.pipe(
    v.string(`${field} must be a string`),
    v.minLength(MIN_PASSWORD_LENGTH, `${field} must be at least ${MIN_PASSWORD_LENGTH} characters`),
    v.maxLength(MAX_PASSWORD_LENGTH, `${field} must be at most ${MAX_PASSWORD_LENGTH} characters`),
  )

// scrypt at N=2^15, r=8, p=1 needs 32 MiB per hash (OWASP's floor for scrypt); maxmem must exceed it.
const LOG_N = 15
const R = 8
const P = 1
const KEY_BYTES = 32
const SALT_BYTES = 16
const MAX_MEM = 128 * 1024 * 1024

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const options: ScryptOptions = { N: 2 ** logN, r, p, maxmem: MAX_MEM }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/**
 * A salted scrypt hash of `password`, as `scrypt$logN$r$p$salt$key` (base64url) so parameters can
 * grow later. Runs on libuv's thread pool: call it outside any store transaction.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, LOG_N, R, P)
  return ['scrypt', LOG_N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** True when `password` hashes to `stored`, compared in constant time; false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, logN, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return false
  const params = [logN, r, p].map(Number)
  if (params.some((n) => !Number.isInteger(n) || n < 1 || n > 20)) return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), params[0]!, params[1]!, params[2]!)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

let decoy: Promise<string> | undefined

/** A hash of a random password, to verify against when an email is unknown so the answer takes as long. */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'))
  return decoy
}
