import { h, uid } from '../dom.js'

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

/** A labelled control with room for a hint and for the API's message about it. */
export interface Field {
  readonly element: HTMLElement
  readonly input: Control
  readonly name: string
  /** Shows `message` beside the control (null clears it); the control is marked invalid and described by it. */
  setError(message: string | null): void
}

export interface FieldOptions {
  readonly label: string
  /** The field's wire name, as the API's messages spell it. */
  readonly name: string
  readonly value?: string
  readonly type?: string
  readonly hint?: string
  readonly required?: boolean
  readonly multiline?: boolean
  readonly options?: readonly (readonly [value: string, label: string])[]
  readonly autocomplete?: string
}

export function formField(options: FieldOptions): Field {
  const id = uid(`field-${options.name}`)
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const common = { id, name: options.name, required: options.required ?? false }
  const input: Control = options.options
    ? h('select', common, options.options.map(([value, label]) => h('option', { value, selected: value === (options.value ?? '') }, label)))
    : options.multiline
      ? h('textarea', { ...common, rows: 6, spellcheck: 'false', value: options.value ?? '' })
      : h('input', { ...common, type: options.type ?? 'text', value: options.value ?? '', autocomplete: options.autocomplete ?? 'off' })
  const error = h('p', { id: errorId, class: 'field-error', hidden: true })
  const describedBy = () => [options.hint ? hintId : null, error.hidden ? null : errorId].filter(Boolean).join(' ')
  if (options.hint) input.setAttribute('aria-describedby', hintId)
  // The control's own `required` tells assistive technology; the words in the label are for the eye.
  const element = h('div', { class: 'field' },
    h('label', { for: id }, options.label, options.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' (required)') : null),
    options.hint ? h('p', { id: hintId, class: 'hint' }, options.hint) : null,
    input, error)
  return {
    element, input, name: options.name,
    setError(message) {
      error.hidden = message === null
      error.textContent = message ?? ''
      if (message === null) input.removeAttribute('aria-invalid')
      else input.setAttribute('aria-invalid', 'true')
      const ids = describedBy()
      if (ids) input.setAttribute('aria-describedby', ids)
      else input.removeAttribute('aria-describedby')
    },
  }
}

/**
 * The field an API message is about. The admin API's errors are one sentence naming the field in its
 * wire spelling (`email must be a valid email address`, `A user with this external_id already exists`,
 * `Name is required…`), so the earliest whole-word mention of a field's name decides; null when none is named.
 */
export function fieldForMessage(message: string, names: readonly string[]): string | null {
  let best: { name: string; at: number } | null = null
  for (const name of names) {
    const match = new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`, 'i').exec(message)
    if (match && (best === null || match.index < best.at)) best = { name, at: match.index }
  }
  return best?.name ?? null
}

/** Puts `message` beside the field it names and focuses that field; false when it names none. */
export function showFieldError(fields: readonly Field[], message: string): boolean {
  const name = fieldForMessage(message, fields.map((f) => f.name))
  const field = fields.find((f) => f.name === name)
  if (!field) return false
  field.setError(message)
  field.input.focus()
  return true
}
