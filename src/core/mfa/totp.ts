import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

/** RFC 6238 defaults every authenticator app assumes when the otpauth URI names nothing else. */
export const TOTP_PERIOD_SECONDS = 30
export const TOTP_DIGITS = 6
/** Steps accepted either side of now, for clock drift between server and phone. */
export const TOTP_WINDOW = 1
// RFC 4226 §4 asks for at least 128 bits of shared secret and recommends 160.
const SECRET_BYTES = 20
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding, as otpauth URIs carry secrets. */
export function base32Encode(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff
    bits += 8
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31]
  return out
}

/** Decodes RFC 4648 base32, ignoring case, spaces and padding; null for any other character. */
export function base32Decode(text: string): Buffer | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase()
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of clean) {
    const value = BASE32.indexOf(char)
    if (value < 0) return null
    buffer = ((buffer << 5) | value) & 0xfff
    bits += 5
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

/** A fresh 160-bit TOTP secret from the CSPRNG, base32-encoded. */
export function generateTotpSecret(): string {
  return base32Encode(randomBytes(SECRET_BYTES))
}

/** The RFC 6238 time step holding `unixSeconds`. */
export function totpStep(unixSeconds: number, period = TOTP_PERIOD_SECONDS): number {
  return Math.floor(unixSeconds / period)
}

/** The RFC 4226 HOTP value of `key` at `counter` (HMAC-SHA1, dynamic truncation), zero-padded to `digits`. */
export function hotp(key: Uint8Array, counter: number, digits = TOTP_DIGITS): string {
  const message = Buffer.alloc(8)
  message.writeBigUInt64BE(BigInt(counter))
  const mac = createHmac('sha1', key).update(message).digest()
  const offset = mac[mac.length - 1]! & 0x0f
  const binary = mac.readUInt32BE(offset) & 0x7fffffff
  return String(binary % 10 ** digits).padStart(digits, '0')
}

/** The TOTP code of `key` at `unixSeconds` (RFC 6238 with SHA-1). */
export function totpCode(key: Uint8Array, unixSeconds: number, digits = TOTP_DIGITS): string {
  return hotp(key, totpStep(unixSeconds), digits)
}

/**
 * The time step whose `digits`-digit code is `code`, searching now and `window` steps either side
 * (nearest first), or null. Codes are compared in constant time.
 */
export function matchTotp(key: Uint8Array, code: string, unixSeconds: number, window = TOTP_WINDOW, digits = TOTP_DIGITS): number | null {
  if (code.length !== digits || !/^\d+$/.test(code)) return null
  const now = totpStep(unixSeconds)
  const given = Buffer.from(code)
  for (const delta of [0, ...Array.from({ length: window }, (_, i) => [-(i + 1), i + 1]).flat()]) {
    const step = now + delta
    if (step < 0) continue
    const expected = Buffer.from(hotp(key, step, digits))
    if (expected.length === given.length && timingSafeEqual(expected, given)) return step
  }
  return null
}

export interface OtpauthUriOptions {
  /** Who the code is for, shown in the authenticator app (e.g. the product name). */
  readonly issuer: string
  /** Which account of the issuer (e.g. the user's email). */
  readonly label: string
  /** The base32 secret. */
  readonly secret: string
}

/** The Key Uri Format authenticator apps scan: `otpauth://totp/ISSUER:LABEL?secret=…&issuer=…`. */
export function otpauthUri({ issuer, label, secret }: OtpauthUriOptions): string {
  const query = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  })
  return `otpauth://totp/${encodeURIComponent(issuer)}:${encodeURIComponent(label)}?${query.toString().replace(/\+/g, '%20')}`
}
