import * as v from 'valibot'
import { CreateAccountUserInput } from '../../core/account-users/account-user.js'
import { CreateGroupInput, RenameGroupInput } from '../../core/groups/group.js'
import { CodeInput, StartEnrolmentInput } from '../../core/mfa/mfa.js'
import { jsonSchemaOf } from '../openapi/json-schema.js'
import { lazily, queryOf, type OperationDoc, type ResponseDoc, type SurfaceDoc } from '../openapi/operation-doc.js'
import { ACCOUNT_USERS_RENAMES } from './account-users-errors.js'
import { LIST_QUERY } from './account-users-routes.js'

// The answers' shapes, as account-users-envelope.ts writes them.
const text = v.nullable(v.string())
const count = v.pipe(v.number(), v.integer())
const User = v.strictObject({
  id: v.string(), first_name: text, last_name: text, email_address: text,
  group_memberships: v.array(v.strictObject({ id: v.string(), name: v.string() })),
})
const Group = v.strictObject({ id: v.string(), name: v.string(), created_at: v.string(), updated_at: text })
const body = (description: string, schema: v.GenericSchema, headers?: Record<string, string>): ResponseDoc =>
  ({ description, schema: jsonSchemaOf(schema), ...(headers && { headers }) })
const none = (description: string): ResponseDoc => ({ description })
const SECRET = { 'cache-control': '`no-store`: the answer holds secrets shown once.' }

const users = '/accounts/:accountId/users'
const groups = '/accounts/:accountId/groups'
const mfa = `${users}/:userId/mfa`

/** The account users surface in the OpenAPI document, built on first use: converting the schemas costs more than importing roster should. */
export const accountUsersDoc = lazily((): SurfaceDoc => {
  const operations: Record<string, OperationDoc> = {
    [`GET ${users}`]: {
      summary: "The account's owner and a page of its other users", query: queryOf(LIST_QUERY),
      responses: {
        200: body('The owner (null when none) and the users.', v.strictObject({ owner: v.nullable(User), users: v.array(User) }),
          { 'x-total-count': 'Users besides the owner.', link: 'The next page (`rel="next"`), when there is one.' }),
      },
    },
    [`POST ${users}`]: {
      summary: 'Create a user', body: jsonSchemaOf(CreateAccountUserInput, ACCOUNT_USERS_RENAMES), bodyRequired: true,
      responses: { 201: body('The user, created.', User, { location: 'The new user.' }) },
    },
    [`GET ${users}/:userId`]: { conditional: 'read', summary: 'Get a user', responses: { 200: body('The user.', User) } },
    [`DELETE ${users}/:userId`]: { conditional: 'write', summary: 'Delete a user', responses: { 200: body('The user as it was.', User) } },
    [`POST ${users}/:userId/reset-mfa`]: { summary: "Reset a user's MFA", responses: { 204: none('Reset.') } },
    [`GET ${mfa}`]: {
      summary: "A user's MFA state",
      responses: { 200: body('The state.', v.strictObject({ state: v.picklist(['none', 'pending', 'enabled']), confirmed_at: text, recovery_codes_remaining: count })) },
    },
    [`POST ${mfa}/totp`]: {
      summary: 'Start TOTP enrolment', body: jsonSchemaOf(StartEnrolmentInput),
      responses: { 201: body('The secret and otpauth URI, shown only here.', v.strictObject({ secret: v.string(), otpauth_uri: v.string() }), SECRET) },
    },
    [`POST ${mfa}/totp/confirm`]: {
      summary: 'Confirm TOTP enrolment with a code', body: jsonSchemaOf(CodeInput), bodyRequired: true,
      responses: { 200: body('The recovery codes, shown only here.', v.strictObject({ recovery_codes: v.array(v.string()) }), SECRET) },
    },
    [`POST ${mfa}/verify`]: {
      summary: 'Verify a TOTP or recovery code', description: 'A wrong code is a 422.', body: jsonSchemaOf(CodeInput), bodyRequired: true,
      responses: { 200: body('Verified.', v.strictObject({ verified: v.literal(true), method: v.picklist(['totp', 'recovery_code']), recovery_codes_remaining: count })) },
    },
    [`GET ${groups}`]: { summary: "The account's groups", responses: { 200: body('The groups.', v.strictObject({ groups: v.array(Group) })) } },
    [`POST ${groups}`]: {
      summary: 'Create a group', body: jsonSchemaOf(CreateGroupInput), bodyRequired: true,
      responses: { 201: body('The group, created.', Group, { location: 'The new group.' }) },
    },
    [`GET ${groups}/:groupId`]: { conditional: 'read', summary: 'Get a group', responses: { 200: body('The group.', Group) } },
    [`PATCH ${groups}/:groupId`]: { conditional: 'write', summary: 'Rename a group', body: jsonSchemaOf(RenameGroupInput), bodyRequired: true, responses: { 200: body('The group, renamed.', Group) } },
    [`DELETE ${groups}/:groupId`]: { conditional: 'write', summary: 'Delete a group', responses: { 204: none('Deleted.') } },
    [`PUT ${groups}/:groupId/users/:userId`]: { summary: 'Add a user to a group', responses: { 204: none('A member.') } },
    [`DELETE ${groups}/:groupId/users/:userId`]: { summary: 'Remove a user from a group', responses: { 204: none('No longer a member.') } },
  }

  const source = v.union([v.strictObject({ pointer: v.string() }), v.strictObject({ parameter: v.string() }), v.strictObject({ header: v.string() })])

  return {
    tag: 'Account users',
    description: 'Seed 003: an account\'s owner and users, their groups and MFA, in plain JSON and the `{errors}` envelope.',
    contentType: 'application/json',
    errorSchema: jsonSchemaOf(v.strictObject({
      errors: v.array(v.strictObject({ status: v.string(), code: v.string(), title: v.string(), detail: v.string(), source: v.optional(source) })),
    })),
    errors: {
      400: 'Malformed JSON, or a malformed Idempotency-Key.', 401: 'No key, or an unknown or revoked one.',
      403: 'Another account, a missing permission, or a rule that forbids it.', 404: 'No such resource in this account.',
      408: 'The body did not arrive in time.', 409: 'An Idempotency-Key still in use.', 412: 'If-Match names no current ETag: the resource changed meanwhile.', 413: 'The body is over 1 MiB.',
      415: 'The body is not JSON.', 422: 'Invalid input (one entry per field), or an Idempotency-Key reused with a different request.',
      429: 'Too many failed attempts: see Retry-After.', 500: 'A fault in roster.',
    },
    operations,
  }
})
