import { customAlphabet } from 'nanoid'
import { hashSecret } from '../secrets.js'

export const RECOVERY_CODE_COUNT = 10
// Crockford's base32 alphabet in lower case: no i, l, o or u to misread when typed from paper.
const RECOVERY_BODY = customAlphabet('0123456789abcdefghjkmnpqrstvwxyz', 10)
const RECOVERY_SHAPE = /^[0-9a-z]{10}$/

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

/** The stored form of a recovery code: SHA-256 is enough for 50 random bits that are spent once. */
export function hashRecoveryCode(code: string): string {
  return hashSecret(normalizeRecoveryCode(code) ?? code)
}
