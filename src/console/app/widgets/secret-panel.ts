import { h, uid } from '../dom.js'

/**
 * A secret that roster shows once: selectable, with a copy button and a warning, and gone from the
 * page once dismissed. Focus moves to it so a keyboard or screen-reader user meets it at once.
 */
export function secretPanel(what: string, secret: string, onDone: () => void): HTMLElement {
  const inputId = uid('secret')
  const status = h('span', { class: 'copy-status', role: 'status' })
  const input = h('input', { id: inputId, class: 'secret', type: 'text', readOnly: true, value: secret, spellcheck: 'false', autocomplete: 'off' })
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret)
      status.textContent = 'Copied to the clipboard.'
    } catch {
      // Clipboard access can be refused (permissions, an insecure origin): leave it selected for Ctrl+C.
      input.select()
      status.textContent = 'Copying was refused by the browser: the key is selected, press Ctrl+C (⌘C).'
    }
  }
  const panel = h('section', { class: 'secret-panel', tabindex: '-1', 'aria-labelledby': `${inputId}-title` },
    h('h3', { id: `${inputId}-title` }, `Your new ${what}`),
    h('p', { class: 'warning' }, h('strong', {}, 'Copy it now: '), 'roster shows it only this once and stores only its hash. ',
      'If it is lost, revoke it and create another.'),
    h('label', { for: inputId }, `${what[0]!.toUpperCase()}${what.slice(1)} (secret)`),
    h('div', { class: 'secret-row' }, input,
      h('button', { type: 'button', class: 'button', onclick: () => void copy() }, 'Copy')),
    status,
    h('button', { type: 'button', class: 'button button-quiet', onclick: () => { panel.remove(); onDone() } }, 'I have stored it: hide it'),
  )
  queueMicrotask(() => panel.focus())
  return panel
}
