import { randomBytes } from 'node:crypto'

export const RESET_TOKEN_PREFIX = 'rsk_reset_'
export const DEFAULT_RESET_TOKEN_TTL_SECONDS = 60 * 60
export const MAX_RESET_TOKEN_TTL_SECONDS = 7 * 24 * 60 * 60

/** A fresh reset token: 256 bits from the CSPRNG behind a readable prefix, shown once and stored only hashed. */
export function generateResetToken(): string {
  return RESET_TOKEN_PREFIX + randomBytes(32).toString('base64url')
}
