import { etagOf, ifMatchOf, withETag } from '../conditional.js'
import { NotFoundError } from '../../core/errors.js'
import type { Roster } from '../../open-roster.js'
import { HttpError } from '../http-error.js'
import { readJsonBody } from '../read-json-body.js'
import type { RequestContext, Route } from '../router.js'
import { accountPath, accountResource, document, IAM_BASE, includedResources } from './iam-document.js'
import { accountListLinks, listMeta } from './iam-links.js'
import { readIamQuery, type Fieldsets } from './iam-query.js'
import { checkType, dropReadOnly, readResource, toDomain } from './iam-request.js'
import type { IamAuth } from './iam-surface.js'

const ATTRIBUTE_RENAMES = { account_type: 'accountType', auth_type: 'authType', expires_at: 'expiresAt' }
const PERSON_RENAMES = { first_name: 'firstName', last_name: 'lastName' }
// Seed 002 lists these as attributes, but the server assigns them.
const READ_ONLY = ['created_at', 'updated_at']
const NO_FIELDS: Fieldsets = new Map()

/** Malformed account ids name nothing: 404 before the body is even read. */
export function accountId(ctx: RequestContext): string {
  const id = ctx.params['id'] ?? ''
  if (!/^[1-9]\d{0,14}$/.test(id)) throw new NotFoundError('Account not found')
  return id
}

/** `relationships.person.data.attributes` as the core's `person` input; its id, if sent, must be the account's. */
function personInput(relationships: Record<string, unknown>, personId: string | null): Record<string, unknown> {
  if (relationships['person'] === undefined) return {}
  const pointer = '/data/relationships/person/data'
  const person = relationships['person'] as { data?: unknown } | null
  const data = person?.data as Record<string, unknown> | undefined
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HttpError(400, `${pointer} must be a resource object`, pointer)
  checkType(data, ['people', 'person'], pointer)
  if (data['id'] !== undefined && typeof data['id'] !== 'string') throw new HttpError(400, `${pointer}/id must be a string`, `${pointer}/id`)
  if (data['id'] !== undefined && personId === null) {
    throw new HttpError(403, `Client-generated ids are not supported: leave out ${pointer}/id`, `${pointer}/id`)
  }
  if (data['id'] !== undefined && data['id'] !== personId) {
    throw new HttpError(409, `${pointer}/id must be the account's person_id ${personId}`, `${pointer}/id`)
  }
  const attributes = data['attributes'] ?? {}
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) {
    throw new HttpError(400, `${pointer}/attributes must be an object`, `${pointer}/attributes`)
  }
  return { person: toDomain(attributes as Record<string, unknown>, PERSON_RENAMES, `${pointer}/attributes`) }
}

/** Seed 002's six account endpoints, plus the password-reset action and the related `roles` link. */
export function iamAccountRoutes(roster: Roster, auth: IamAuth): Route[] {
  const single = (ctx: RequestContext, fields: Fieldsets, result: Awaited<ReturnType<Roster['accounts']['get']>>, self: string) =>
    withETag(ctx, result.account.userId, result.account.version, document(200, {
      data: accountResource(result.account, fields, result.included),
      ...(result.included.include.size > 0 && { included: includedResources([result.account], result.included, fields) }),
      links: { self },
    }))

  return [
    {
      method: 'GET', path: `${IAM_BASE}/accounts`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const { fields, ...query } = readIamQuery(ctx.url, ['filter', 'page', 'sort', 'count', 'include', 'fields'])
        const page = await roster.accounts.list(principal, query)
        return document(200, {
          data: page.accounts.map((account) => accountResource(account, fields, page.included)),
          ...(page.included.include.size > 0 && { included: includedResources(page.accounts, page.included, fields) }),
          links: accountListLinks(ctx.url, page),
          meta: listMeta(page),
        })
      },
    },
    {
      method: 'POST', path: `${IAM_BASE}/accounts`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        const request = readResource(await readJsonBody(ctx), { type: 'accounts', relationships: ['person'], toMany: ['roles'] })
        const attributes = dropReadOnly(request.attributes, null, [], ['id', 'person_id', ...READ_ONLY])
        const input = { ...toDomain(attributes, ATTRIBUTE_RENAMES, '/data/attributes'), ...personInput(request.relationships, null) }
        const account = await roster.accounts.create(principal, input as never)
        const self = accountPath(account.id)
        return document(201, { data: accountResource(account, NO_FIELDS), links: { self } }, { location: self })
      },
    },
    {
      method: 'GET', path: `${IAM_BASE}/accounts/me`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const { fields, include } = readIamQuery(ctx.url, ['include', 'fields'])
        return single(ctx, fields, await roster.accounts.me(principal, { include }), `${IAM_BASE}/accounts/me`)
      },
    },
    {
      method: 'GET', path: `${IAM_BASE}/accounts/:id`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const { fields, include } = readIamQuery(ctx.url, ['include', 'fields'])
        const id = accountId(ctx)
        return single(ctx, fields, await roster.accounts.get(principal, id, { include }), accountPath(id))
      },
    },
    {
      method: 'PATCH', path: `${IAM_BASE}/accounts/:id`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        const id = accountId(ctx)
        const request = readResource(await readJsonBody(ctx), { type: 'accounts', id, relationships: ['person'], toMany: ['roles'] })
        const attributes = dropReadOnly(request.attributes, { id, person_id: id }, ['id', 'person_id'], READ_ONLY)
        const input = { ...toDomain(attributes, ATTRIBUTE_RENAMES, '/data/attributes'), ...personInput(request.relationships, id) }
        const account = await roster.accounts.update(principal, id, input as never, ifMatchOf(ctx))
        return document(200, { data: accountResource(account, NO_FIELDS), links: { self: accountPath(id) } }, { etag: etagOf(account.userId, account.version) })
      },
    },
    {
      method: 'DELETE', path: `${IAM_BASE}/accounts/:id`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        await roster.accounts.delete(principal, accountId(ctx), ifMatchOf(ctx))
        return { status: 204 }
      },
    },
  ]
}
