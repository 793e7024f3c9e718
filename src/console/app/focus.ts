/**
 * Moves focus to `element` unless the person has already moved it somewhere of their own since the
 * page was drawn (focus is still on the page's heading or nowhere), so late-arriving data never steals it.
 */
export function focusIfIdle(element: HTMLElement): void {
  const active = document.activeElement
  if (active === null || active === document.body || active.tagName === 'H1') {
    if (!element.hasAttribute('tabindex')) element.setAttribute('tabindex', '-1')
    element.focus()
  }
}
