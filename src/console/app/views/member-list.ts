import { call, withQuery } from '../api.js'
import type { AccountAttributes, JsonApiList } from '../api-types.js'
import { h, replace, uid } from '../dom.js'
import { href } from '../router.js'
import { refusedNotice } from '../widgets/notice.js'

const PAGE_SIZE = 25

/**
 * A disclosure listing the accounts in a role or group, read from the IAM accounts list filtered by
 * `role_name` or `ou_accounts` (so it needs manage_users too), a page at a time by cursor.
 */
export function memberDisclosure(kind: 'role' | 'group', name: string, filter: readonly [string, string]): HTMLElement {
  const panelId = uid('members')
  const panel = h('div', { id: panelId, class: 'members', hidden: true })
  const button = h('button', { class: 'button button-quiet', type: 'button', 'aria-expanded': 'false', 'aria-controls': panelId },
    `Members of ${name}`)
  let loaded = false

  const loadPage = async (path: string, into: HTMLElement) => {
    into.setAttribute('aria-busy', 'true')
    try {
      const { body } = await call<JsonApiList<AccountAttributes>>(path)
      const people = new Map((body.included ?? []).filter((r) => r.type === 'people').map((r) => [r.id, r.attributes]))
      const items = body.data.map((account) => {
        const email = account.attributes.email ?? null
        const personId = (account.relationships?.['person']?.data as { id?: string } | null | undefined)?.id
        const person = personId ? people.get(personId) : undefined
        const personName = typeof person?.['name'] === 'string' ? person['name'] : null
        const label = [personName, email].filter(Boolean).join(' · ') || `Account ${account.id}`
        // IAM accounts carry no admin user id: the email finds the user in the users list.
        return h('li', {}, email ? h('a', { href: href(['users'], { q: email }) }, label) : label,
          account.attributes.enabled === false ? h('span', { class: 'tag' }, 'disabled') : null)
      })
      const more = body.links?.next
      replace(into,
        items.length === 0 ? h('p', { class: 'empty' }, `No accounts in this ${kind}.`) : h('ul', { class: 'member-items' }, items),
        more ? moreButton(more) : null)
    } catch (error) {
      replace(into, refusedNotice(`the members of this ${kind}`, error))
    }
    into.setAttribute('aria-busy', 'false')
  }
  const moreButton = (next: string) => {
    const holder = h('div', {})
    const more = h('button', { class: 'button button-quiet', type: 'button', onclick: () => { more.disabled = true; void loadPage(next, holder) } }, 'More members')
    holder.append(more)
    return holder
  }

  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true'
    button.setAttribute('aria-expanded', String(open))
    panel.hidden = !open
    if (open && !loaded) {
      loaded = true
      const query = { [`filter[${filter[0]}]`]: filter[1], include: 'person', 'fields[accounts]': 'email,enabled,person', 'page[size]': PAGE_SIZE }
      void loadPage(withQuery('/api/v3/iam/accounts', query), panel)
    }
  })
  return h('div', { class: 'member-disclosure' }, button, panel)
}
