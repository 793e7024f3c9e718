import { h } from '../dom.js'

/** Grey placeholder lines where a list will appear, announced as loading. */
export function skeletonRows(count: number): HTMLElement {
  return h('div', { class: 'skeleton', role: 'status' },
    h('span', { class: 'visually-hidden' }, 'Loading…'),
    Array.from({ length: count }, () => h('div', { class: 'skeleton-line', 'aria-hidden': 'true' })))
}
