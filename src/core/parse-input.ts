import * as v from 'valibot'
import { ValidationError } from './errors.js'

/**
 * Validates `input` against `schema` and returns the typed output, or throws ValidationError
 * for the first issue, naming its dot path. Unknown keys of a strict object are reported by name.
 */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown, root = 'body'): v.InferOutput<S> {
  const result = v.safeParse(schema, input, { abortEarly: true })
  if (result.success) return result.output
  const issue = result.issues[0]
  const field = v.getDotPath(issue) ?? root
  if (issue.expected === 'never' && issue.path?.length) throw new ValidationError(field, `Unknown field: ${field}`)
  if (issue.path?.at(-1)?.origin === 'key' && issue.received === 'undefined') {
    throw new ValidationError(field, missingKeyMessage(schema, issue.path) ?? `${field} is required`)
  }
  if (issue.message.startsWith('Invalid ')) throw new ValidationError(field, `${field} is invalid: ${issue.message}`)
  throw new ValidationError(field, issue.message)
}

// valibot reports a missing key generically ("Invalid key: …"); the field's own schema, run on nothing,
// gives the message written for it (seed 001 fixes the text for a missing name).
function missingKeyMessage(schema: v.GenericSchema, path: readonly v.IssuePathItem[]): string | undefined {
  let current = schema as { wrapped?: unknown; entries?: Record<string, unknown> } | undefined
  for (const item of path) {
    while (current?.wrapped) current = current.wrapped as typeof current
    current = current?.entries?.[String(item.key)] as typeof current
  }
  if (!current) return undefined
  const result = v.safeParse(current as v.GenericSchema, undefined)
  const message = result.issues?.[0]?.message
  return message && !message.startsWith('Invalid ') ? message : undefined
}
