import * as v from 'valibot'
import { CreateCredentialInput, VerifyAsOptions } from '../../core/credentials/credential.js'
import { CreateKeyInput, RecoverKeyInput } from '../../core/keys/key-input.js'
import { PERMISSIONS } from '../../core/permissions.js'
import { CreateTenantInput } from '../../core/tenants/tenant-input.js'
import { CreateUserInput, ReactivateUserInput, SuspendUserInput, UpdateUserInput, USER_STATUSES } from '../../core/users/user.js'
import { jsonSchemaOf } from '../openapi/json-schema.js'
import { lazily, queryOf, type OperationDoc, type ResponseDoc, type SurfaceDoc } from '../openapi/operation-doc.js'
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_SURFACES, AUDIT_TARGET_TYPES } from '../../core/audit/audit-entry.js'
import { AUDIT_QUERY } from './admin-audit-routes.js'
import { CREDENTIAL_RENAMES } from './admin-credential-routes.js'
import { KEY_RENAMES } from './admin-key-routes.js'
import { PERIOD, SUMMARY } from './admin-usage-routes.js'
import { LIST_QUERY, USER_RENAMES } from './admin-user-routes.js'

// The answers' shapes, as admin-envelope.ts and its siblings write them.
const text = v.nullable(v.string())
const count = v.pipe(v.number(), v.integer())
const User = v.strictObject({
  id: v.string(), admin_key_id: text, admin_entity_name: v.string(), external_id: text, name: v.string(), email: text,
  metadata: v.record(v.string(), v.unknown()), created_at: v.string(), updated_at: text, status: v.picklist(USER_STATUSES),
  billing_plan: text, first_name: text, last_name: text,
})
const permissions = v.array(v.picklist(PERMISSIONS))
const Key = v.strictObject({ id: v.string(), name: v.string(), prefix: v.string(), permissions, tenant_id: v.string(), created_at: v.string(), revoked_at: text })
const IssuedKey = v.strictObject({
  id: v.string(), name: v.string(), key: v.string(), permissions, tenant_id: v.string(), admin_entity_name: v.string(), created_at: v.string(),
  owner: v.optional(User),
})
const Credential = v.strictObject({
  id: v.string(), user_id: v.string(), name: v.string(), prefix: v.string(), created_at: v.string(), last_used_at: text, expires_at: text, revoked_at: text,
})
const IssuedCredential = v.strictObject({ ...Credential.entries, key: v.string() })
const Totals = v.strictObject({ requests: count, units: count })
const Period = v.strictObject({ from: v.string(), to: v.string() })
const Verification = v.union([
  v.strictObject({ valid: v.literal(true), user: v.union([User, v.strictObject({ id: v.string(), external_id: text, status: v.picklist(USER_STATUSES), billing_plan: text })]), credential: Credential }),
  v.strictObject({ valid: v.literal(false), reason: v.string() }),
])
const UserUsage = v.strictObject({
  user_id: v.string(), period: Period, totals: Totals,
  credentials: v.array(v.strictObject({ credential_id: v.string(), name: v.string(), prefix: v.string(), revoked_at: text, requests: count, units: count })),
  daily: v.array(v.strictObject({ date: v.string(), requests: count, units: count })),
})
const UsageSummary = v.strictObject({
  period: Period, totals: Totals,
  users: v.array(v.strictObject({ user_id: v.string(), external_id: text, name: text, email: text, status: v.nullable(v.picklist(USER_STATUSES)), deleted: v.boolean(), requests: count, units: count })),
})
const AuditEntry = v.strictObject({
  id: v.string(), tenant_id: v.string(), at: v.string(), actor: v.string(),
  actor_type: v.picklist(AUDIT_ACTOR_TYPES), surface: v.picklist(AUDIT_SURFACES),
  request_id: text, action: v.picklist(AUDIT_ACTIONS), target_type: v.picklist(AUDIT_TARGET_TYPES), target_id: v.string(),
  fields: v.array(v.string()), before: v.record(v.string(), v.unknown()), after: v.record(v.string(), v.unknown()),
})
const AuditPagination = v.strictObject({ limit: count, has_more: v.boolean(), next_cursor: text })
const Pagination = v.strictObject({ total: v.nullable(count), limit: count, offset: count, has_more: v.boolean(), next_cursor: v.optional(text) })

/** `{success: true, data, message?}` around `data`, with any `extra` members (pagination). */
function envelope(data: v.GenericSchema, extra: v.ObjectEntries = {}) {
  return jsonSchemaOf(v.strictObject({ success: v.literal(true), data, message: v.optional(v.string()), ...extra }))
}
const answer = (description: string, data: v.GenericSchema, extra?: v.ObjectEntries): ResponseDoc => ({ description, schema: envelope(data, extra) })
const secret = (description: string, data: v.GenericSchema): ResponseDoc =>
  ({ ...answer(description, data), headers: { 'cache-control': '`no-store`: the answer holds a secret shown once.' } })
const noQuery = undefined

/** The admin surface in the OpenAPI document, built on first use: converting the schemas costs more than importing roster should. */
export const adminDoc = lazily((): SurfaceDoc => {
  const operations: Record<string, OperationDoc> = {
    'GET /v1/admin/audit': {
      summary: "The tenant's audit log", description: 'Newest first, keyset-paged by `cursor`; filters by actor, action, target, target type and time. Needs `view_audit`.',
      query: queryOf(AUDIT_QUERY), responses: { 200: answer('A page of audit entries.', v.array(AuditEntry), { pagination: AuditPagination }) },
    },
    'GET /v1/admin/users': {
      summary: 'List users', description: 'Filters, full-text `q`, offset or cursor paging; `total` is null unless cheap or `count=true`.',
      query: queryOf(LIST_QUERY), responses: { 200: answer('A page of users.', v.array(User), { pagination: Pagination }) },
    },
    'POST /v1/admin/users': {
      summary: 'Create a user', body: jsonSchemaOf(CreateUserInput, USER_RENAMES), bodyRequired: true,
      responses: { 201: answer('The user, created.', User) },
    },
    'GET /v1/admin/users/by-external-id/:externalId': { conditional: 'read', summary: 'Get a user by external id', query: noQuery, responses: { 200: answer('The user.', User) } },
    'GET /v1/admin/users/:id': { conditional: 'read', summary: 'Get a user', responses: { 200: answer('The user.', User) } },
    'PATCH /v1/admin/users/:id': { conditional: 'write',
      summary: 'Update a user', body: jsonSchemaOf(UpdateUserInput, USER_RENAMES), bodyRequired: true, responses: { 200: answer('The user, updated.', User) },
    },
    'POST /v1/admin/users/:id/suspend': { summary: 'Suspend a user', body: jsonSchemaOf(SuspendUserInput), responses: { 200: answer('The user, suspended.', User) } },
    'POST /v1/admin/users/:id/reactivate': { summary: 'Reactivate a user', body: jsonSchemaOf(ReactivateUserInput), responses: { 200: answer('The user, active again.', User) } },
    'POST /v1/admin/users/:id/credentials': {
      summary: 'Issue an API credential', body: jsonSchemaOf(CreateCredentialInput, CREDENTIAL_RENAMES), bodyRequired: true,
      responses: { 201: secret('The credential with its secret `key`, shown only here.', IssuedCredential) },
    },
    'GET /v1/admin/users/:id/credentials': { summary: "List a user's credentials", responses: { 200: answer('The credentials, without secrets.', v.array(Credential)) } },
    'DELETE /v1/admin/credentials/:credentialId': { summary: 'Revoke a credential', responses: { 200: answer('The credential, revoked.', Credential) } },
    'POST /v1/verify': {
      summary: 'Verify a credential and meter usage', description: 'A refused credential is still a 200, with `valid: false` and the reason.',
      body: jsonSchemaOf(v.strictObject({ key: v.string(), ...VerifyAsOptions.entries })), bodyRequired: true,
      responses: { 200: answer('Whether the credential is valid, and whose it is.', Verification) },
    },
    'GET /v1/admin/users/usage/summary': {
      summary: "The tenant's usage per user", query: queryOf(SUMMARY),
      responses: { 200: answer('Totals and a page of users.', UsageSummary, { pagination: Pagination }) },
    },
    'GET /v1/admin/users/:id/usage': { summary: "A user's usage", query: queryOf(PERIOD), responses: { 200: answer('Totals, per credential and per day.', UserUsage) } },
    'POST /v1/admin/keys': {
      summary: 'Create a tenant, or an admin key',
      description: 'With the bootstrap key: a tenant with its first key (and owner), or with `tenant_id` a recovery key. With an admin key holding `manage_keys`: another key of its tenant.',
      body: { anyOf: [jsonSchemaOf(CreateTenantInput, KEY_RENAMES), jsonSchemaOf(RecoverKeyInput, { tenant_id: 'tenantId' }), jsonSchemaOf(CreateKeyInput)] },
      responses: { 201: secret('The key with its secret `key`, shown only here.', IssuedKey) },
    },
    'GET /v1/admin/keys': { summary: "List the tenant's admin keys", responses: { 200: answer('The keys, without secrets.', v.array(Key)) } },
    'DELETE /v1/admin/keys/:id': { summary: 'Revoke an admin key', responses: { 200: answer('The key, revoked.', Key) } },
  }

  return {
    tag: 'Admin',
    description: 'Seed 000/001: user accounts, credentials, usage and admin keys in the `{success, data, message}` envelope.',
    contentType: 'application/json',
    errorSchema: jsonSchemaOf(v.strictObject({ success: v.literal(false), error: v.string() })),
    errors: {
      400: 'Invalid input, naming the field (the bootstrap key on a user route too).', 401: 'No key, or an unknown or revoked one.',
      403: 'The key lacks the permission, or the rule forbids it.', 404: 'No such resource in this tenant.',
      408: 'The body did not arrive in time.', 409: 'A conflict: a taken email or external id, or an Idempotency-Key still in use.',
      412: 'If-Match names no current ETag: the resource changed meanwhile.', 413: 'The body is over 1 MiB.', 415: 'The body is not JSON.', 422: 'An Idempotency-Key reused with a different request.',
      429: 'Too many failed attempts: see Retry-After.', 500: 'A fault in roster.',
    },
    operations,
  }
})
