import * as v from 'valibot'

/**
 * A trimmed, non-empty string of at most `max` characters. Every message starts with the field
 * name; `requiredMessage`, when given, answers a missing, mistyped or empty value.
 */
export function textSchema(field: string, max = 255, requiredMessage?: string) {
  return v.pipe(
    v.string(requiredMessage ?? `${field} must be a string`),
    v.trim(),
    v.nonEmpty(requiredMessage ?? `${field} must not be empty`),
    v.maxLength(max, `${field} must be at most ${max} characters`),
  )
}
