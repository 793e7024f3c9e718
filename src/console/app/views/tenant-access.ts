import { call } from '../api.js'
import type { Group, JsonApiList, RoleAttributes } from '../api-types.js'
import { h, replace } from '../dom.js'
import { formField } from '../widgets/form-field.js'
import { refusedNotice } from '../widgets/notice.js'
import { memberDisclosure } from './member-list.js'

export function loadRoles(signal?: AbortSignal): Promise<JsonApiList<RoleAttributes>> {
  return call<JsonApiList<RoleAttributes>>('/api/v3/iam/roles', signal ? { signal } : {}).then((r) => r.body)
}

export function loadGroups(tenantId: string | null, signal?: AbortSignal): Promise<Group[] | null> {
  if (tenantId === null) return Promise.resolve(null)
  return call<{ groups: Group[] }>(`/accounts/${encodeURIComponent(tenantId)}/groups`, signal ? { signal } : {}).then((r) => r.body.groups)
}

/** The tenant's roles (IAM) with their members. */
export function rolesSection(first: PromiseSettledResult<JsonApiList<RoleAttributes>>): HTMLElement {
  const body = first.status === 'rejected'
    ? refusedNotice('roles', first.reason)
    : first.value.data.length === 0
      ? h('p', { class: 'empty' }, 'No roles yet. Roles are created through the IAM API (POST /api/v3/iam/roles).')
      : h('ul', { class: 'group-list' }, first.value.data.map((role) => h('li', {},
        h('h3', {}, role.attributes.name),
        role.attributes.description ? h('p', { class: 'hint' }, role.attributes.description) : null,
        memberDisclosure('role', role.attributes.name, ['role_name', role.attributes.name]))))
  return h('section', { class: 'panel', 'aria-labelledby': 'roles-heading' }, h('h2', { id: 'roles-heading' }, 'Roles'), body)
}

/** The tenant's groups (account users API) with their members; asks for the account id when no API told it. */
export function groupsSection(first: PromiseSettledResult<Group[] | null>): HTMLElement {
  const body = h('div', {})
  const show = (result: PromiseSettledResult<Group[] | null>) => {
    if (result.status === 'rejected') return replace(body, refusedNotice('groups', result.reason))
    if (result.value === null) return replace(body, askAccountId())
    replace(body, result.value.length === 0
      ? h('p', { class: 'empty' }, 'No groups yet. Groups are created through the account users API (POST /accounts/{id}/groups).')
      : h('ul', { class: 'group-list' }, result.value.map((group) => h('li', {},
        h('h3', {}, group.name),
        memberDisclosure('group', group.name, ['ou_accounts', group.id])))))
  }
  // A key with neither manage_keys nor manage_users is never told its tenant's id; its holder knows it.
  const askAccountId = () => {
    const field = formField({ label: 'Account id', name: 'account_id', hint: 'The tenant_id given when the tenant was created' })
    return h('form', { class: 'inline-form', onsubmit: (e: Event) => {
      e.preventDefault()
      const id = field.input.value.trim()
      loadGroups(id).then((groups) => show({ status: 'fulfilled', value: groups }), (reason: unknown) => show({ status: 'rejected', reason }))
    } },
    h('p', {}, 'roster has not said which account this key belongs to: enter its id to see its groups.'),
    field.element, h('button', { class: 'button', type: 'submit' }, 'Show groups'))
  }
  show(first)
  return h('section', { class: 'panel', 'aria-labelledby': 'groups-heading' }, h('h2', { id: 'groups-heading' }, 'Groups'), body)
}
