import { etagOf, ifMatchOf, withETag } from '../conditional.js'
import type { Roster } from '../../open-roster.js'
import { readJsonBody } from '../read-json-body.js'
import type { Route } from '../router.js'
import { document, IAM_BASE, roleResource } from './iam-document.js'
import { listMeta, roleListLinks } from './iam-links.js'
import { readIamQuery } from './iam-query.js'
import { dropReadOnly, readResource, toDomain } from './iam-request.js'
import type { IamAuth } from './iam-surface.js'

const READ_ONLY = ['created_at', 'updated_at']

/** `/api/v3/iam/roles`: the tenant's roles as JSON:API resources; every route needs `manage_roles`. */
export function iamRoleRoutes(roster: Roster, auth: IamAuth): Route[] {
  const self = (id: string) => `${IAM_BASE}/roles/${id}`
  return [
    {
      method: 'GET', path: `${IAM_BASE}/roles`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const { fields, ...query } = readIamQuery(ctx.url, ['filter', 'page', 'sort', 'count', 'fields'])
        const page = await roster.roles.list(principal, query)
        return document(200, {
          data: page.roles.map((role) => roleResource(role, fields)),
          links: roleListLinks(ctx.url, page),
          meta: listMeta(page),
        })
      },
    },
    {
      method: 'POST', path: `${IAM_BASE}/roles`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        const { attributes } = readResource(await readJsonBody(ctx), { type: 'roles' })
        const role = await roster.roles.create(principal, toDomain(dropReadOnly(attributes, null, [], READ_ONLY), {}, '/data/attributes') as never)
        return document(201, { data: roleResource(role, new Map()), links: { self: self(role.id) } }, { location: self(role.id) })
      },
    },
    {
      method: 'GET', path: `${IAM_BASE}/roles/:id`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const { fields } = readIamQuery(ctx.url, ['fields'])
        const role = await roster.roles.get(principal, ctx.params['id'] ?? '')
        return withETag(ctx, role.id, role.version, document(200, { data: roleResource(role, fields), links: { self: self(role.id) } }))
      },
    },
    {
      method: 'PATCH', path: `${IAM_BASE}/roles/:id`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        const id = ctx.params['id'] ?? ''
        // Unknown ids are 404 before the body's shape is judged.
        await roster.roles.get(principal, id)
        const { attributes } = readResource(await readJsonBody(ctx), { type: 'roles', id })
        const role = await roster.roles.update(principal, id, toDomain(dropReadOnly(attributes, null, [], READ_ONLY), {}, '/data/attributes') as never, ifMatchOf(ctx))
        return document(200, { data: roleResource(role, new Map()), links: { self: self(role.id) } }, { etag: etagOf(role.id, role.version) })
      },
    },
    {
      method: 'DELETE', path: `${IAM_BASE}/roles/:id`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        await roster.roles.delete(principal, ctx.params['id'] ?? '', ifMatchOf(ctx))
        return { status: 204 }
      },
    },
  ]
}
