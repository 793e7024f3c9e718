import { ApiError } from '../api.js'
import { h } from '../dom.js'

/** The words for any failure: the API's own message, or what went wrong in the browser. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  if (error instanceof Error) return `Something went wrong in the console: ${error.message}`
  return 'Something went wrong in the console.'
}

/** An error in words, announced to screen readers as it appears. */
export function errorNotice(error: unknown, lead?: string): HTMLElement {
  return h('p', { class: 'notice notice-error', role: 'alert' },
    h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '!'), ' ', lead ? `${lead} ` : null, describeError(error))
}

/** What a key may not see, said plainly: the API's refusal is the reason. */
export function refusedNotice(what: string, error: unknown): HTMLElement {
  if (error instanceof ApiError && error.status === 403) {
    return h('p', { class: 'notice notice-refused' },
      h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '⊘'), ` Your key cannot see ${what}. roster said: ${error.message}`)
  }
  return errorNotice(error, `Could not load ${what}.`)
}

/** A success or progress message, announced politely. */
export function statusNotice(text: string): HTMLElement {
  return h('p', { class: 'notice notice-ok', role: 'status' }, h('span', { class: 'notice-icon', 'aria-hidden': 'true' }, '✓'), ` ${text}`)
}
