import * as v from 'valibot'
import { CreateAccountInput, UpdateAccountInput } from '../../core/accounts/account-input.js'
import { CreateRoleInput, UpdateRoleInput } from '../../core/roles/role.js'
import { jsonSchemaOf, type JsonSchema } from '../openapi/json-schema.js'
import { lazily, type OperationDoc, type QueryParameterDoc, type ResponseDoc, type SurfaceDoc } from '../openapi/operation-doc.js'
import { IAM_BASE } from './iam-document.js'
import { IAM_RENAMES } from './iam-errors.js'

// JSON:API 1.1 documents as iam-document.ts writes them: attributes per type, resources with links.
const jsonapi = v.strictObject({ version: v.literal('1.1') })
// Paging links are null where there is no such page.
const links = v.record(v.string(), v.nullable(v.string()))
const text = v.nullable(v.string())
const count = v.pipe(v.number(), v.integer())
const relationships = v.optional(v.record(v.string(), v.unknown()))
/** A resource of `type` whose attributes are `attributes`, each left out when a sparse fieldset omits it. */
const resource = (type: string, attributes: v.ObjectEntries) => v.strictObject({
  type: v.literal(type), id: v.string(), attributes: v.partial(v.strictObject(attributes)), relationships, links: v.optional(links),
})
const Resource = v.variant('type', [
  resource('accounts', {
    id: count, email: text, account_type: v.string(), auth_type: v.string(), created_at: v.string(), updated_at: text,
    expires_at: text, enabled: v.boolean(), person_id: count,
  }),
  resource('people', { first_name: text, last_name: text, name: text, email: text }),
  resource('organizations', { name: v.string(), created_at: v.string() }),
  resource('roles', { name: v.string(), description: text, created_at: v.string(), updated_at: text }),
  resource('password_resets', { token: v.string(), expires_at: v.string() }),
])
const Identifier = v.strictObject({ type: v.string(), id: v.string() })
const meta = v.optional(v.record(v.string(), v.unknown()))

/** The IAM surface in the OpenAPI document, built on first use: converting the schemas costs more than importing roster should. */
export const iamDoc = lazily((): SurfaceDoc => {
  const single = jsonSchemaOf(v.strictObject({ jsonapi, data: Resource, included: v.optional(v.array(Resource)), links: v.optional(links), meta }))
  const collection = jsonSchemaOf(v.strictObject({ jsonapi, data: v.array(Resource), included: v.optional(v.array(Resource)), links: v.optional(links), meta }))
  const linkage = jsonSchemaOf(v.strictObject({ jsonapi, data: v.array(Identifier), links: v.optional(links), meta }))

  /** A request document of one resource of `type` whose attributes are `attributes` (in wire names). */
  function resourceBody(type: string, attributes: JsonSchema, relationships?: JsonSchema): JsonSchema {
    const data = {
      type: 'object', required: ['type'],
      properties: { type: { const: type }, id: { type: 'string' }, attributes, ...(relationships && { relationships }) },
    }
  return { type: 'object', required: ['data'], properties: { data } }
  }
  const withoutPerson = (schema: JsonSchema): JsonSchema => {
    const { person: _person, ...properties } = schema['properties'] as Record<string, unknown>
  return { ...schema, properties }
  }
  const accountAttributes = (schema: v.GenericSchema) => withoutPerson(jsonSchemaOf(schema, IAM_RENAMES))
  const person = { type: 'object', properties: { person: { type: 'object', properties: { data: { type: 'object' } } } } }
  const linkageBody = jsonSchemaOf(v.strictObject({ data: v.array(v.strictObject({ type: v.literal('roles'), id: v.string() })) }))

  const family = (name: string, description: string): QueryParameterDoc => ({ name, type: 'family', description })
  const FILTER = family('filter', 'filter[FIELD]=VALUE: seed 002\'s filters.')
  const PAGE = family('page', 'page[size], page[number], page[after], page[before].')
  const FIELDS = family('fields', 'fields[TYPE]=a,b: sparse fieldsets.')
  const SORT: QueryParameterDoc = { name: 'sort', type: 'string', description: 'Comma-separated fields, `-` for descending.' }
  const COUNT: QueryParameterDoc = { name: 'count', type: 'string', description: '`true` to count the matches into meta.' }
  const INCLUDE: QueryParameterDoc = { name: 'include', type: 'string', description: 'Related resources to include.' }

  const doc = (description: string, schema: JsonSchema, location = false): ResponseDoc =>
    ({ description, schema, ...(location && { headers: { location: 'The new resource.' } }) })
  const none = (description: string): ResponseDoc => ({ description })

  const accounts = `${IAM_BASE}/accounts`
  const roles = `${IAM_BASE}/roles`
  const operations: Record<string, OperationDoc> = {
    [`GET ${accounts}`]: { summary: 'List accounts', query: [FILTER, PAGE, SORT, COUNT, INCLUDE, FIELDS], responses: { 200: doc('A page of accounts.', collection) } },
    [`POST ${accounts}`]: {
      summary: 'Create an account', body: resourceBody('accounts', accountAttributes(CreateAccountInput), person), bodyRequired: true,
      responses: { 201: doc('The account, created.', single, true) },
    },
    [`GET ${accounts}/me`]: { conditional: 'read', summary: 'The account of the presenting credential', query: [INCLUDE, FIELDS], responses: { 200: doc('The account.', single) } },
    [`GET ${accounts}/:id`]: { conditional: 'read', summary: 'Get an account', query: [INCLUDE, FIELDS], responses: { 200: doc('The account.', single) } },
    [`PATCH ${accounts}/:id`]: { conditional: 'write',
      summary: 'Update an account', body: resourceBody('accounts', accountAttributes(UpdateAccountInput), person), bodyRequired: true,
      responses: { 200: doc('The account, updated.', single) },
    },
    [`DELETE ${accounts}/:id`]: { conditional: 'write', summary: 'Delete an account', responses: { 204: none('Deleted.') } },
    [`POST ${accounts}/:id/password-reset`]: {
      summary: 'Issue a password reset token',
      body: resourceBody('password_resets', { type: 'object', properties: { ttl_seconds: { type: 'integer' } } }),
      responses: { 201: { ...doc('The token, shown only here.', single, true), headers: { location: 'The account.', 'cache-control': '`no-store`.' } } },
    },
    [`GET ${accounts}/:id/relationships/roles`]: { summary: "An account's role linkage", responses: { 200: doc('The role identifiers.', linkage) } },
    [`POST ${accounts}/:id/relationships/roles`]: { summary: 'Grant roles', body: linkageBody, bodyRequired: true, responses: { 204: none('Granted.') } },
    [`PATCH ${accounts}/:id/relationships/roles`]: { summary: 'Replace the roles', body: linkageBody, bodyRequired: true, responses: { 204: none('Replaced.') } },
    [`DELETE ${accounts}/:id/relationships/roles`]: { summary: 'Revoke roles', body: linkageBody, bodyRequired: true, responses: { 204: none('Revoked.') } },
    [`GET ${accounts}/:id/roles`]: { summary: "An account's roles", query: [FIELDS], responses: { 200: doc('The roles.', collection) } },
    [`GET ${roles}`]: { summary: 'List roles', query: [FILTER, PAGE, SORT, COUNT, FIELDS], responses: { 200: doc('A page of roles.', collection) } },
    [`POST ${roles}`]: {
      summary: 'Create a role', body: resourceBody('roles', jsonSchemaOf(CreateRoleInput)), bodyRequired: true,
      responses: { 201: doc('The role, created.', single, true) },
    },
    [`GET ${roles}/:id`]: { conditional: 'read', summary: 'Get a role', query: [FIELDS], responses: { 200: doc('The role.', single) } },
    [`PATCH ${roles}/:id`]: { conditional: 'write',
      summary: 'Update a role', body: resourceBody('roles', jsonSchemaOf(UpdateRoleInput)), bodyRequired: true, responses: { 200: doc('The role, updated.', single) },
    },
    [`DELETE ${roles}/:id`]: { conditional: 'write', summary: 'Delete a role', responses: { 204: none('Deleted.') } },
  }

  const source = v.union([v.strictObject({ pointer: v.string() }), v.strictObject({ parameter: v.string() }), v.strictObject({ header: v.string() })])

  return {
    tag: 'IAM',
    description: 'Seed 002: accounts, roles and role relationships as JSON:API 1.1 documents.',
    // Spelled out: iam-surface.ts, which names it too, imports this file.
    contentType: 'application/vnd.api+json',
    errorSchema: jsonSchemaOf(v.strictObject({
      jsonapi,
      errors: v.array(v.strictObject({ status: v.string(), code: v.string(), title: v.string(), detail: v.string(), source: v.optional(source) })),
    })),
    errors: {
      400: 'Invalid input or query parameter, with its source.', 401: 'No key, or an unknown or revoked one.',
      403: 'The key lacks the permission, or the rule forbids it.', 404: 'No such resource in this tenant.',
      406: 'Accept allows no JSON:API instance roster can serve.', 408: 'The body did not arrive in time.',
      409: 'A conflict: a taken email, a wrong type or id, or an Idempotency-Key still in use.', 412: 'If-Match names no current ETag: the resource changed meanwhile.', 413: 'The body is over 1 MiB.',
      415: 'The body is not JSON, or names an unsupported JSON:API extension.', 422: 'An Idempotency-Key reused with a different request.',
      429: 'Too many failed attempts: see Retry-After.', 500: 'A fault in roster.',
    },
    operations,
  }
})
