import { call } from '../api.js'
import type { AdminEnvelope, AdminUser } from '../api-types.js'
import { h, replace } from '../dom.js'
import { currentMonth, parseMonth } from '../period.js'
import { href } from '../router.js'
import { loadAll, type ViewContext } from '../view.js'
import { refusedNotice } from '../widgets/notice.js'
import { skeletonRows } from '../widgets/skeleton.js'
import { credentialsSection, loadCredentials } from './user-credentials.js'
import { mountUserProfile } from './user-profile.js'
import { loadUserUsage, usageSection } from './user-usage.js'

/** `#/users/ID?month=YYYY-MM`: one user, their usage for a month, and their credentials. */
export async function userView({ main, place, signal }: ViewContext): Promise<void> {
  const id = place.path[1] ?? ''
  const month = parseMonth(place.query.get('month')) ?? currentMonth()
  const back = h('p', { class: 'back' }, h('a', { href: href(['users']) }, '‹ All users'))
  replace(main, back, h('h1', { tabindex: '-1', class: 'placeholder-title' }, 'User'), skeletonRows(12))

  // All three at once, and the page drawn once they are in, so nothing moves under the reader.
  const [user, usage, credentials] = await loadAll([
    call<AdminEnvelope<AdminUser>>(`/v1/admin/users/${encodeURIComponent(id)}`, { signal }).then((r) => r.body.data),
    loadUserUsage(id, month, signal),
    loadCredentials(id, signal),
  ] as const)
  if (signal.aborted) return
  if (user.status === 'rejected') {
    replace(main, back, h('h1', { tabindex: '-1' }, 'User'), refusedNotice('this user', user.reason))
    return
  }
  const profile = h('div', { class: 'user-top' })
  replace(main, back, profile, usageSection(id, month, usage), credentialsSection(id, credentials))
  mountUserProfile(profile, user.value)
  document.title = `${user.value.name} · roster console`
}
