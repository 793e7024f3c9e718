import { ValidationError } from '../errors.js'
import type { Account } from './account.js'
import type { CursorValues, SortKey } from './account-query.js'

/** The sort-key values of `account`, as the repository orders them. */
export function sortValues(account: Account, sort: readonly SortKey[]): CursorValues {
  return sort.map(({ field }) => {
    switch (field) {
      case 'id': return account.id
      // Stored lower-cased in JS, the same way, so cursor and column agree.
      case 'email': return account.email === null ? null : account.email.toLowerCase()
      case 'accountType': return account.accountType
      case 'authType': return account.authType
      case 'createdAt': return account.createdAt
      case 'updatedAt': return account.updatedAt
      case 'expiresAt': return account.expiresAt
      case 'enabled': return account.enabled ? 1 : 0
    }
  })
}

/** An opaque cursor naming `account`'s place in a list sorted by `sort` (`signature` is the canonical sort string). */
export function encodeCursor(signature: string, account: Account, sort: readonly SortKey[]): string {
  return Buffer.from(JSON.stringify([signature, ...sortValues(account, sort)])).toString('base64url')
}

/** The values in `cursor`; ValidationError naming `name` when it was not made by a list with the same sort. */
export function decodeCursor(cursor: unknown, name: string, signature: string, sort: readonly SortKey[]): CursorValues {
  const invalid = () => new ValidationError(name, `${name} is not a cursor of this list and sort; follow the links of a response sorted the same way`)
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 2048) throw invalid()
  let decoded: unknown
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid()
  }
  if (!Array.isArray(decoded) || decoded[0] !== signature || decoded.length !== sort.length + 1) throw invalid()
  const values = decoded.slice(1) as unknown[]
  const fits = values.every((value, i) => {
    if (sort[i]?.field === 'id') return Number.isSafeInteger(value)
    if (sort[i]?.field === 'enabled') return value === 0 || value === 1
    return value === null || typeof value === 'string'
  })
  if (!fits) throw invalid()
  return values as CursorValues
}
