import type { Roster } from '../../open-roster.js'
import { readJsonBody } from '../read-json-body.js'
import type { RequestContext, Route } from '../router.js'
import { accountId } from './iam-account-routes.js'
import { accountPath, document, IAM_BASE, roleResource } from './iam-document.js'
import { readIamQuery } from './iam-query.js'
import { readLinkage } from './iam-request.js'
import type { IamAuth } from './iam-surface.js'

type Change = 'grant' | 'revoke' | 'replace'

/**
 * An account's roles: the relationship (`/accounts/:id/relationships/roles`: GET, POST adds, DELETE
 * removes, PATCH replaces; 204 on success) and the related resources (`/accounts/:id/roles`). `manage_roles`.
 */
export function iamRelationshipRoutes(roster: Roster, auth: IamAuth): Route[] {
  const links = (id: string) => ({ self: `${accountPath(id)}/relationships/roles`, related: `${accountPath(id)}/roles` })
  const change = (method: string, operation: Change): Route => ({
    method, path: `${IAM_BASE}/accounts/:id/relationships/roles`,
    handler: async (ctx: RequestContext) => {
      const principal = await auth(ctx)
      readIamQuery(ctx.url, [])
      const id = accountId(ctx)
      const roleIds = readLinkage(await readJsonBody(ctx), 'roles')
      await roster.roles[operation](principal, id, roleIds)
      return { status: 204 }
    },
  })
  return [
    {
      method: 'GET', path: `${IAM_BASE}/accounts/:id/relationships/roles`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        readIamQuery(ctx.url, [])
        const id = accountId(ctx)
        const roles = await roster.roles.forAccount(principal, id)
        return document(200, { links: links(id), data: roles.map((role) => ({ type: 'roles', id: role.id })) })
      },
    },
    change('POST', 'grant'),
    change('DELETE', 'revoke'),
    change('PATCH', 'replace'),
    {
      method: 'GET', path: `${IAM_BASE}/accounts/:id/roles`,
      handler: async (ctx) => {
        const principal = await auth(ctx)
        const { fields } = readIamQuery(ctx.url, ['fields'])
        const id = accountId(ctx)
        const roles = await roster.roles.forAccount(principal, id)
        return document(200, { links: { self: links(id).related }, data: roles.map((role) => roleResource(role, fields)) })
      },
    },
  ]
}
