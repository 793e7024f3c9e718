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
  if (issue.message.startsWith('Invalid ')) throw new ValidationError(field, `${field} is invalid: ${issue.message}`)
  throw new ValidationError(field, issue.message)
}
