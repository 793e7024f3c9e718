import { ApiError, call } from '../api.js'
import type { AdminEnvelope, AdminUser } from '../api-types.js'
import { h } from '../dom.js'
import { formField, showFieldError, type Field } from '../widgets/form-field.js'
import { errorNotice } from '../widgets/notice.js'

// The PATCH fields, by wire name; `name` is the only one that cannot be cleared.
const TEXT_FIELDS = [
  ['name', 'Name'], ['email', 'Email'], ['external_id', 'External id'], ['billing_plan', 'Billing plan'],
  ['first_name', 'First name'], ['last_name', 'Last name'],
] as const

/**
 * The edit form for a user: sends only what changed (an emptied optional field as null, which clears
 * it) and puts each message from the API beside the field it names.
 */
export function userEditForm(user: AdminUser, onSaved: (user: AdminUser) => void, onCancel: () => void): HTMLElement {
  const text = TEXT_FIELDS.map(([name, label]) => formField({
    label, name, value: (user[name] as string | null) ?? '', required: name === 'name',
    type: name === 'email' ? 'email' : 'text', autocomplete: 'off',
  }))
  const metadata = formField({
    label: 'Metadata', name: 'metadata', multiline: true, value: JSON.stringify(user.metadata, null, 2),
    hint: 'A JSON object; it replaces the stored metadata whole.',
  })
  const fields: Field[] = [...text, metadata]
  const formError = h('div', { class: 'form-error' })
  const save = h('button', { class: 'button button-primary', type: 'submit' }, 'Save changes')

  const submit = async (event: Event) => {
    event.preventDefault()
    for (const field of fields) field.setError(null)
    formError.replaceChildren()
    const changes: Record<string, unknown> = {}
    for (const field of text) {
      const value = field.input.value.trim()
      const before = (user[field.name as keyof AdminUser] as string | null) ?? ''
      if (value !== before) changes[field.name] = value === '' && field.name !== 'name' ? null : value
    }
    try {
      const parsed: unknown = JSON.parse(metadata.input.value)
      if (JSON.stringify(parsed) !== JSON.stringify(user.metadata)) changes['metadata'] = parsed
    } catch (error) {
      metadata.setError(`Metadata is not valid JSON: ${(error as Error).message}`)
      metadata.input.focus()
      return
    }
    if (Object.keys(changes).length === 0) return onCancel()
    save.disabled = true
    try {
      const { body } = await call<AdminEnvelope<AdminUser>>(`/v1/admin/users/${encodeURIComponent(user.id)}`, { method: 'PATCH', body: changes })
      onSaved(body.data)
    } catch (error) {
      save.disabled = false
      if (!(error instanceof ApiError) || !showFieldError(fields, error.message)) formError.replaceChildren(errorNotice(error, 'Not saved.'))
    }
  }

  return h('form', { class: 'edit-form', 'aria-label': `Edit ${user.name}`, novalidate: true, onsubmit: (e: Event) => void submit(e) },
    h('h2', {}, 'Edit details'),
    formError,
    h('div', { class: 'field-grid' }, text.map((f) => f.element)),
    metadata.element,
    h('div', { class: 'form-actions' }, save, h('button', { class: 'button button-quiet', type: 'button', onclick: onCancel }, 'Cancel')))
}
