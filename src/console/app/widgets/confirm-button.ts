import { h, replace } from '../dom.js'

/**
 * A button that asks once more, in place, before an action that cannot be undone. `subject` names
 * what it acts on for screen readers (`Revoke production`), since a table holds many such buttons.
 */
export function confirmButton(label: string, subject: string, question: string, action: () => Promise<void>): HTMLElement {
  const holder = h('span', { class: 'confirm' })
  const first = () => h('button', { class: 'button button-danger', type: 'button', 'aria-label': `${label} ${subject}`, onclick: ask }, label)
  function ask() {
    const yes = h('button', { class: 'button button-danger', type: 'button', onclick: () => { yes.disabled = true; void action() } }, `Yes, ${label.toLowerCase()}`)
    const no = h('button', { class: 'button button-quiet', type: 'button', onclick: () => { replace(holder, first()); holder.querySelector('button')?.focus() } }, 'Cancel')
    replace(holder, h('span', { class: 'confirm-question' }, question), ' ', yes, ' ', no)
    yes.focus()
  }
  replace(holder, first())
  return holder
}
