import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'

const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * What one Idempotency-Key of one caller stands for in the store. Everything is derived from the
 * caller's own secret (never stored in clear) and the key, so an entry read from the database says
 * nothing about the request and its sealed answer (which may hold a secret shown once) does not open.
 */
export interface IdempotencySeal {
  /** Names the entry: an HMAC of the key, so the key itself is not stored. */
  readonly keyHash: string
  /** An HMAC of method, target and body: tells a retry from a different request without keeping the body. */
  requestHash(method: string, target: string, body: Uint8Array): string
  /** AES-256-GCM under the derived key, bound to this entry. */
  seal(plaintext: string): string
  /** The plaintext, or null when `sealed` does not open under this caller's secret and key. */
  open(sealed: string): string | null
}

export function idempotencySeal(secret: string, idempotencyKey: string): IdempotencySeal {
  const key = Buffer.from(hkdfSync('sha256', secret, idempotencyKey, 'roster idempotency v1', 32))
  const hmac = (...parts: (string | Uint8Array)[]) => {
    const mac = createHmac('sha256', key)
    for (const part of parts) mac.update(part).update('\u0000')
    return mac.digest('hex')
  }
  const keyHash = hmac('key')
  const aad = Buffer.from(keyHash)
  return {
    keyHash,
    requestHash: (method, target, body) => hmac('request', method, target, body),
    seal(plaintext) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
    },
    open(sealed) {
      const bytes = Buffer.from(sealed, 'base64url')
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(aad)
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        return null
      }
    },
  }
}
