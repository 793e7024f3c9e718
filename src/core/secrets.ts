import crypto, { createHash } from 'node:crypto'
import { customAlphabet } from 'nanoid'

// Base62 keeps keys selectable with a double click; 40 characters carry about 238 random bits.
const SECRET_BODY = customAlphabet('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz', 40)

export const KEY_PREFIXES = { bootstrap: 'rsk_boot_', admin: 'rsk_admin_', credential: 'rsk_live_' } as const

/** A fresh secret from the CSPRNG behind nanoid, with a readable prefix so a leaked key is recognisable. */
export function generateSecret(kind: keyof typeof KEY_PREFIXES): string {
  return KEY_PREFIXES[kind] + SECRET_BODY()
}

// Every authenticated call hashes its key: the one-shot crypto.hash (Node 20.12+) costs a third of createHash.
const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => createHash('sha256').update(text).digest('hex')

/** SHA-256 is enough for high-entropy random keys: nothing to brute-force, and it keeps lookups one index probe. */
export function hashSecret(secret: string): string {
  return sha256Hex(secret)
}

/** The part of a secret safe to show again: its prefix and the first four characters of its body. */
export function visiblePrefix(secret: string): string {
  const cut = secret.indexOf('_', secret.indexOf('_') + 1) + 1
  return secret.slice(0, cut + 4)
}
