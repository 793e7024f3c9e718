import * as v from 'valibot'
import { passwordSchema } from '../passwords/password-hash.js'
import { emailSchema } from '../users/user.js'
import { AUTH_TYPES } from './account.js'
import { dateTimeSchema } from './datetime.js'

const ACCOUNT_TYPE_MESSAGE = 'accountType must be 1 to 50 lowercase letters, digits, _ or -, starting with a letter'

const accountType = v.pipe(
  v.string(ACCOUNT_TYPE_MESSAGE),
  v.regex(/^[a-z][a-z0-9_-]{0,49}$/, ACCOUNT_TYPE_MESSAGE),
)
const profileText = (field: string) =>
  v.nullable(
    v.pipe(v.string(`${field} must be a string`), v.trim(), v.nonEmpty(`${field} must not be empty`), v.maxLength(255, `${field} must be at most 255 characters`)),
  )

/** The person behind the account: its profile names, and optionally the account's email again. */
const person = v.strictObject(
  {
    firstName: v.optional(profileText('person.firstName')),
    lastName: v.optional(profileText('person.lastName')),
    name: v.optional(
      v.pipe(v.string('person.name must be a string'), v.trim(), v.nonEmpty('person.name must not be empty'), v.maxLength(255, 'person.name must be at most 255 characters')),
    ),
    email: v.optional(emailSchema('person.email')),
  },
  'person must be an object',
)

const fields = {
  accountType: v.optional(accountType),
  authType: v.optional(v.picklist(AUTH_TYPES, `authType must be one of ${AUTH_TYPES.join(', ')}`)),
  expiresAt: v.optional(v.nullable(dateTimeSchema('expiresAt'))),
  enabled: v.optional(v.boolean('enabled must be true or false')),
  /** Write-only: hashed with scrypt, never returned. */
  password: v.optional(passwordSchema()),
  person: v.optional(person),
}

/**
 * A new account. `email` (or `person.email`) is required; the user's name is `person.name`, else
 * first and last name, else the email. `enabled: false` creates it suspended.
 */
export const CreateAccountInput = v.strictObject({ email: v.optional(emailSchema()), ...fields })
export type CreateAccountInput = v.InferInput<typeof CreateAccountInput>

/** Changes to an account; `enabled` suspends or reactivates, `authType: 'none'` removes the password. */
export const UpdateAccountInput = v.strictObject({ email: v.optional(emailSchema()), ...fields })
export type UpdateAccountInput = v.InferInput<typeof UpdateAccountInput>
