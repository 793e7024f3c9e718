import { newId, type AdminKeyId, type UserId } from '../ids.js'
import type { NewUser } from './user.js'

/**
 * A user to insert, with roster's defaults under what each surface gives: active, no external id,
 * names or email, empty metadata, account type `user`, no password, no expiry.
 */
export function newUser(
  fields: { readonly name: string; readonly createdAt: string; readonly adminKeyId: AdminKeyId | null } & Partial<NewUser>,
): NewUser {
  return {
    id: newId<UserId>(),
    externalId: null,
    firstName: null,
    lastName: null,
    email: null,
    metadata: {},
    status: 'active',
    billingPlan: null,
    accountType: 'user',
    authType: 'none',
    expiresAt: null,
    ...fields,
  }
}
