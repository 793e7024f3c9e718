import { h, replace } from '../dom.js'
import { currentMonth, parseMonth } from '../period.js'
import { loadAll, type ViewContext } from '../view.js'
import { skeletonRows } from '../widgets/skeleton.js'
import { groupsSection, loadGroups, loadRoles, rolesSection } from './tenant-access.js'
import { auditSection, loadRecentAudit } from './tenant-audit.js'
import { keysSection, loadKeys } from './tenant-keys.js'
import { loadUsageSummary, tenantUsageSection } from './tenant-usage.js'

/** `#/tenant?month=YYYY-MM`: the usage summary, admin keys, roles and groups, and the audit log's recent changes. */
export async function tenantView({ main, place, signal, identity }: ViewContext): Promise<void> {
  const month = parseMonth(place.query.get('month')) ?? currentMonth()
  const title = identity.tenantName ?? 'Tenant'
  replace(main, h('h1', { tabindex: '-1' }, title), skeletonRows(12))
  const [summary, keys, roles, groups, audit] = await loadAll([
    loadUsageSummary(month, signal), loadKeys(signal), loadRoles(signal), loadGroups(identity.tenantId, signal), loadRecentAudit(signal),
  ] as const)
  if (signal.aborted) return
  replace(main,
    h('h1', { tabindex: '-1' }, title),
    identity.tenantId ? h('p', { class: 'subtitle' }, 'Account id ', h('code', {}, identity.tenantId)) : null,
    tenantUsageSection(month, summary),
    keysSection(identity, keys),
    h('div', { class: 'two-columns' }, rolesSection(roles), groupsSection(groups)),
    auditSection(audit))
}
