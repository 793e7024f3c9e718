import { ValidationError } from '../../core/errors.js'
import { readJsonBody } from '../read-json-body.js'
import type { RequestContext } from '../router.js'
import { fromWire, readQuery, type QuerySpec } from '../wire-fields.js'
import { ACCOUNT_USERS_RENAMES, pointerTo, RequestFieldsError } from './account-users-errors.js'

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The JSON body renamed to the core's field names; an empty body reads as `{}`, any JSON but an
 * object (`null`, an array, a string) is a 422. Every member not in `allowed` (wire names) is named
 * in one 422 entry of its own.
 */
export async function readBody(ctx: RequestContext, allowed: readonly string[]): Promise<never> {
  const parsed = await readJsonBody(ctx)
  const body = parsed === undefined ? {} : parsed
  if (!isObject(body)) throw new ValidationError('body', 'body must be a JSON object')
  const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) {
    throw new RequestFieldsError(unknown.map((key) => ({ detail: `Unknown field: ${key}`, source: { pointer: pointerTo(key) } })))
  }
  return fromWire(body, ACCOUNT_USERS_RENAMES) as never
}

/**
 * The query parameters in `spec`, integers parsed; every unknown parameter is named in a 422
 * entry of its own, and one given twice gets one too.
 */
export function readParams(ctx: RequestContext, spec: QuerySpec = {}): Record<string, unknown> {
  const names = [...new Set(ctx.url.searchParams.keys())]
  const unknown = names.filter((name) => !Object.hasOwn(spec, name))
  const repeated = names.filter((name) => Object.hasOwn(spec, name) && ctx.url.searchParams.getAll(name).length > 1)
  if (unknown.length > 0 || repeated.length > 0) {
    throw new RequestFieldsError([
      ...unknown.map((name) => ({ detail: `Unknown query parameter: ${name}`, source: { parameter: name } })),
      ...repeated.map((name) => ({ detail: `Query parameter ${name} must be given once`, source: { parameter: name } })),
    ])
  }
  return readQuery(ctx.url, spec, {})
}
