import { toJsonSchema } from '@valibot/to-json-schema'
import type * as v from 'valibot'
import type { Renames } from '../wire-fields.js'

/** A JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) as a plain object. */
export type JsonSchema = { readonly [keyword: string]: unknown }

/**
 * The JSON Schema of a valibot schema, with property names respelled from the core's to the wire's
 * (`renames`, wire → domain by dot path). Checks that JSON Schema cannot state (custom predicates,
 * transforms) are left out: the document says what is accepted in shape; the core still checks the rest.
 */
export function jsonSchemaOf(schema: v.GenericSchema, renames: Renames = {}): JsonSchema {
  const converted = toJsonSchema(schema, { target: 'draft-2020-12', errorMode: 'ignore' }) as Record<string, unknown>
  delete converted['$schema']
  return respell(converted, renames, '')
}

function respell(schema: Record<string, unknown>, renames: Renames, prefix: string): Record<string, unknown> {
  const wireOf = (domainPath: string) => Object.entries(renames).find(([, domain]) => domain === domainPath)?.[0]
  const out: Record<string, unknown> = { ...schema }
  for (const keyword of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[keyword]
    if (Array.isArray(branches)) out[keyword] = branches.map((branch) => respell(branch as Record<string, unknown>, renames, prefix))
  }
  const properties = schema['properties'] as Record<string, Record<string, unknown>> | undefined
  if (!properties) return out
  const names = new Map<string, string>()
  out['properties'] = Object.fromEntries(Object.entries(properties).map(([name, property]) => {
    const wirePath = wireOf(prefix + name) ?? prefix + name
    const wire = wirePath.slice(wirePath.lastIndexOf('.') + 1)
    names.set(name, wire)
    return [wire, respell(property, renames, `${wirePath}.`)]
  }))
  if (Array.isArray(schema['required'])) out['required'] = (schema['required'] as string[]).map((name) => names.get(name) ?? name)
  return out
}
