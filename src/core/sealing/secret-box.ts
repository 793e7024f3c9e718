import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import { SecretKeyError, ValidationError } from '../errors.js'

/** A secret as stored: AES-256-GCM output and the id of the key that sealed it, so keys can be rotated. */
export interface SealedSecret {
  readonly keyId: string
  /** base64url of IV (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  readonly value: string
}

/** A sealing key derived from a host's secret key, with the id stored beside everything it seals. */
export interface SealingKey {
  readonly id: string
  readonly key: Buffer
}

export const MIN_SECRET_KEY_LENGTH = 32
const IV_BYTES = 12
const TAG_BYTES = 16

/**
 * The AES-256 key and key id a host's secret key (at least 32 characters, e.g. 32 random bytes in
 * base64url) stands for. HKDF-SHA-256 spreads any such text over 256 bits; the id is a separate hash,
 * so it names the key without helping anyone recover it. ValidationError for a shorter key.
 */
export function sealingKey(secret: string): SealingKey {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_KEY_LENGTH) {
    throw new ValidationError('secretKey', `secretKey must be at least ${MIN_SECRET_KEY_LENGTH} characters`)
  }
  const key = Buffer.from(hkdfSync('sha256', secret, 'roster', 'roster secret box v1', 32))
  const id = createHash('sha256').update(`roster key id\u0000${secret}`).digest('hex').slice(0, 16)
  return { id, key }
}

/** Seals and opens secrets under the host's current key; keys it replaced still open what they sealed. */
export interface SecretBox {
  /** The id of the key new secrets are sealed with. */
  readonly keyId: string
  /**
   * Seals `plaintext` with a fresh random IV. `context` (e.g. the owning user's id) is authenticated
   * with it, so a sealed value copied onto another row does not open there.
   */
  seal(plaintext: string, context: string): SealedSecret
  /** The plaintext; SecretKeyError when the key is unknown or the value was altered or moved. */
  open(sealed: SealedSecret, context: string): string
  /** True when `keyId` names the current key or one it replaced. */
  knows(keyId: string): boolean
  /** Makes `key` the current key; the one it replaces still opens what it sealed. Returns an undo. */
  use(key: SealingKey): () => void
}

export function createSecretBox(current: SealingKey, previous: readonly SealingKey[] = []): SecretBox {
  const keys = new Map<string, Buffer>([...previous, current].map((k) => [k.id, k.key]))
  let sealing = current
  return {
    get keyId() {
      return sealing.id
    },
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', sealing.key, iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return { keyId: sealing.id, value: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url') }
    },
    open(sealed, context) {
      const key = keys.get(sealed.keyId)
      if (!key) throw new SecretKeyError(`A secret is sealed with key ${sealed.keyId}, which roster was not given`)
      const bytes = Buffer.from(sealed.value, 'base64url')
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES))
        decipher.setAAD(Buffer.from(context))
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES))
        return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretKeyError(`A secret sealed with key ${sealed.keyId} does not open: it was altered or belongs to another row`)
      }
    },
    knows: (keyId) => keys.has(keyId),
    use(key) {
      const before = sealing
      keys.set(key.id, key.key)
      sealing = key
      return () => {
        sealing = before
      }
    },
  }
}
