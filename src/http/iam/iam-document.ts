import type { Account, Person } from '../../core/accounts/account.js'
import type { AccountIncluded } from '../../core/accounts/account-list.js'
import type { Role } from '../../core/roles/role.js'
import type { Tenant } from '../../core/tenants/tenant.js'
import type { Reply } from '../router.js'
import type { Fieldsets } from './iam-query.js'

export const IAM_BASE = '/api/v3/iam'
export const JSON_API = { version: '1.1' } as const

/** Every resource type the surface serves, with its attribute and relationship names (for `fields[type]`). */
export const RESOURCE_FIELDS = {
  accounts: ['id', 'email', 'account_type', 'auth_type', 'created_at', 'updated_at', 'expires_at', 'enabled', 'person_id', 'roles', 'person', 'organization'],
  people: ['first_name', 'last_name', 'name', 'email'],
  organizations: ['name', 'created_at'],
  roles: ['name', 'description', 'created_at', 'updated_at'],
} as const
export type ResourceType = keyof typeof RESOURCE_FIELDS

type Members = Record<string, unknown>
type Resource = { type: ResourceType; id: string; attributes: Members; relationships?: Members; links?: Members }

/** Keeps only the members `fields[type]` names; everything when the type has no fieldset. */
function sparse(type: ResourceType, members: Members, fields: Fieldsets): Members {
  const wanted = fields.get(type)
  if (!wanted) return members
  return Object.fromEntries(Object.entries(members).filter(([name]) => wanted.has(name)))
}

export const accountPath = (id: number | string) => `${IAM_BASE}/accounts/${id}`

/**
 * Seed 002's account resource. `person` and `organization` always carry linkage; `roles` carries it
 * only when roles were loaded (`include=roles`), and always links to where it can be read.
 */
export function accountResource(account: Account, fields: Fieldsets, included?: AccountIncluded): Resource {
  const roles = included?.roles && (included.roles.get(account.userId) ?? [])
  const relationships: Members = {
    roles: {
      links: { self: `${accountPath(account.id)}/relationships/roles`, related: `${accountPath(account.id)}/roles` },
      ...(roles && { data: roles.map((role) => ({ type: 'roles', id: role.id })) }),
    },
    person: { data: { type: 'people', id: String(account.personId) } },
    organization: { data: { type: 'organizations', id: account.tenantId } },
  }
  const attributes = {
    id: account.id,
    email: account.email,
    account_type: account.accountType,
    auth_type: account.authType,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
    expires_at: account.expiresAt,
    enabled: account.enabled,
    person_id: account.personId,
  }
  const kept = sparse('accounts', relationships, fields)
  return {
    type: 'accounts',
    id: String(account.id),
    attributes: sparse('accounts', attributes, fields),
    ...(Object.keys(kept).length > 0 && { relationships: kept }),
    links: { self: accountPath(account.id) },
  }
}

export function personResource(person: Person, fields: Fieldsets): Resource {
  const attributes = { first_name: person.firstName, last_name: person.lastName, name: person.name, email: person.email }
  return { type: 'people', id: String(person.id), attributes: sparse('people', attributes, fields) }
}

export function organizationResource(tenant: Tenant, fields: Fieldsets): Resource {
  return { type: 'organizations', id: tenant.id, attributes: sparse('organizations', { name: tenant.name, created_at: tenant.createdAt }, fields) }
}

export function roleResource(role: Role, fields: Fieldsets): Resource {
  const attributes = { name: role.name, description: role.description, created_at: role.createdAt, updated_at: role.updatedAt }
  return { type: 'roles', id: role.id, attributes: sparse('roles', attributes, fields), links: { self: `${IAM_BASE}/roles/${role.id}` } }
}

/** The compound document's `included`: each related resource once, in first-seen order. */
export function includedResources(accounts: readonly Account[], included: AccountIncluded, fields: Fieldsets): Resource[] {
  const out = new Map<string, Resource>()
  const add = (resource: Resource) => out.has(`${resource.type}:${resource.id}`) || out.set(`${resource.type}:${resource.id}`, resource)
  for (const account of accounts) {
    if (included.include.has('person')) add(personResource(account.person, fields))
    for (const role of included.roles?.get(account.userId) ?? []) add(roleResource(role, fields))
  }
  if (included.organization) add(organizationResource(included.organization, fields))
  return [...out.values()]
}

/** A JSON:API document reply. */
export function document(status: number, body: Members, headers?: Record<string, string>): Reply {
  return { status, body: { jsonapi: JSON_API, ...body }, ...(headers && { headers }) }
}
