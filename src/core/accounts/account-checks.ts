import { ValidationError } from '../errors.js'
import type { Repositories } from '../ports/store.js'
import type { AdminPrincipal } from '../principal.js'
import { protectOwner, type OwnerProtected } from '../users/user-policy.js'
import { OWNER_ACCOUNT_TYPE, type Account } from './account.js'

/*
 * The checks an IAM create or update must pass before anything is written (and before any password
 * is hashed): one email, a consistent auth type, the reserved owner account type, and the owner policy.
 */

/** The account input fields the checks read. */
export type Fields = {
  email?: string | undefined
  person?: { email?: string | undefined } | undefined
  password?: string | undefined
  authType?: string | undefined
  enabled?: boolean | undefined
  expiresAt?: string | null | undefined
}

/** The email the input names, from `email` or `person.email`, which must agree when both are given. */
export function chosenEmail(fields: Fields): string | undefined {
  const { email, person } = fields
  if (email !== undefined && person?.email !== undefined && email.toLowerCase() !== person.email.toLowerCase()) {
    throw new ValidationError('person.email', 'person.email must be the account email')
  }
  return email ?? person?.email
}

/** A password goes with auth type `password` only, and auth type `password` needs one. */
export function checkAuthType(fields: Fields, hasPassword: boolean): void {
  if (fields.authType === 'none' && fields.password !== undefined) {
    throw new ValidationError('password', 'password cannot be set together with authType "none"')
  }
  if (fields.authType === 'password' && fields.password === undefined && !hasPassword) {
    throw new ValidationError('authType', 'authType "password" needs a password: send password as well')
  }
}

/** `owner` is given and taken only by ownership itself. */
export function checkAccountType(accountType: string | undefined, current: string | null): void {
  if (accountType === undefined || accountType === current) return
  if (accountType === OWNER_ACCOUNT_TYPE) throw new ValidationError('accountType', 'accountType "owner" is reserved for the tenant owner')
  if (current === OWNER_ACCOUNT_TYPE) throw new ValidationError('accountType', 'accountType of the tenant owner cannot change')
}

/** What of the account the update would really change that the owner policy guards, or null. */
function ownerTouches(account: Account, fields: Fields, email: string | undefined): OwnerProtected | null {
  if (email !== undefined && email !== account.email) return 'email'
  if (fields.password !== undefined || (fields.authType === 'none' && account.authType !== 'none')) return 'password'
  if ((fields.enabled === true && !account.enabled) || (fields.enabled === false && account.status !== 'suspended')) return 'status'
  if (fields.expiresAt !== undefined && fields.expiresAt !== account.expiresAt) return 'expiry'
  return null
}

/** Every check an update must pass against the account as it is: the auth and account types, then the owner policy. */
export async function checkUpdate(r: Repositories, admin: AdminPrincipal, account: Account, fields: Fields & { accountType?: string | undefined }, email: string | undefined): Promise<void> {
  checkAuthType(fields, account.authType === 'password')
  checkAccountType(fields.accountType, account.accountType)
  const touched = ownerTouches(account, fields, email)
  if (touched) await protectOwner(r, admin, account.userId, touched)
}
