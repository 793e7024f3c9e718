import { ApiError } from '../api.js'
import { h, replace } from '../dom.js'
import { identify, type Identity } from '../session.js'
import { formField } from '../widgets/form-field.js'
import { describeError, errorNotice } from '../widgets/notice.js'

/**
 * The sign-in page: an admin key, checked against roster before it is kept. `reason` says why the
 * person is here again (a key roster stopped accepting).
 */
export function signInView(main: HTMLElement, onSignedIn: (identity: Identity) => void, reason: unknown = null): void {
  const key = formField({
    label: 'Admin key', name: 'key', type: 'password', required: true, autocomplete: 'off',
    hint: 'Starts with rsk_admin_. Kept in this browser tab only, and forgotten when you sign out or close the tab.',
  })
  const button = h('button', { class: 'button button-primary', type: 'submit' }, 'Sign in')
  const submit = async (event: Event) => {
    event.preventDefault()
    const secret = key.input.value.trim()
    if (secret === '') {
      key.setError('Paste an admin key to sign in.')
      key.input.focus()
      return
    }
    key.setError(null)
    button.disabled = true
    button.textContent = 'Signing in…'
    try {
      onSignedIn(await identify(secret))
    } catch (error) {
      button.disabled = false
      button.textContent = 'Sign in'
      key.setError(explain(secret, error))
      key.input.focus()
    }
  }
  replace(main,
    h('div', { class: 'sign-in' },
      h('h1', { tabindex: '-1' }, 'Sign in to the roster console'),
      reason ? errorNotice(reason, 'You were signed out.') : null,
      h('form', { class: 'sign-in-form', novalidate: true, onsubmit: (e: Event) => void submit(e) }, key.element, button),
      h('div', { class: 'help' },
        h('h2', {}, 'No admin key yet?'),
        h('p', {}, 'Create a tenant and its first admin key with the bootstrap key (the README’s “First requests”), or on the host:'),
        h('pre', { class: 'command' }, 'npx roster keys create --entity "Your company"'))))
  key.input.focus()
}

/** The API's reason, plus what it most likely means for this kind of key. */
function explain(secret: string, error: unknown): string {
  const message = describeError(error)
  if (!(error instanceof ApiError)) return message
  if (secret.startsWith('rsk_live_')) return `${message}. This is a user credential (rsk_live_…): the console needs an admin key (rsk_admin_…).`
  if (error.status === 401) return `${message}. Check that the whole key was pasted and that it has not been revoked.`
  return message
}
