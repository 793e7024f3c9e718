import { h, replace } from '../dom.js'
import { currentMonth, parseMonth } from '../period.js'
import { loadAll, type ViewContext } from '../view.js'
import { skeletonRows } from '../widgets/skeleton.js'
import { groupsSection, loadGroups, loadRoles, rolesSection } from './tenant-access.js'
import { keysSection, loadKeys } from './tenant-keys.js'
import { loadUsageSummary, tenantUsageSection } from './tenant-usage.js'

/** `#/tenant?month=YYYY-MM`: the usage summary, admin keys, roles and groups, and a place kept for the audit log. */
export async function tenantView({ main, place, signal, identity }: ViewContext): Promise<void> {
  const month = parseMonth(place.query.get('month')) ?? currentMonth()
  const title = identity.tenantName ?? 'Tenant'
  replace(main, h('h1', { tabindex: '-1' }, title), skeletonRows(12))
  const [summary, keys, roles, groups] = await loadAll([
    loadUsageSummary(month, signal), loadKeys(signal), loadRoles(signal), loadGroups(identity.tenantId, signal),
  ] as const)
  if (signal.aborted) return
  replace(main,
    h('h1', { tabindex: '-1' }, title),
    identity.tenantId ? h('p', { class: 'subtitle' }, 'Account id ', h('code', {}, identity.tenantId)) : null,
    tenantUsageSection(month, summary),
    keysSection(identity, keys),
    h('div', { class: 'two-columns' }, rolesSection(roles), groupsSection(groups)),
    auditPlaceholder())
}

// roster keeps no audit log yet; this place is kept for it, and no API is assumed.
function auditPlaceholder(): HTMLElement {
  return h('section', { class: 'panel panel-reserved', 'aria-labelledby': 'audit-heading' },
    h('h2', { id: 'audit-heading' }, 'Audit log'),
    h('p', {}, 'roster does not keep an audit log yet. Once it does, the tenant’s recent changes will be listed here.'))
}
