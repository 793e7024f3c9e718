import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

type Json = Record<string, any>

/** The committed document (docs/openapi.json): what clients read, and what a test keeps equal to the generated one. */
export const OPENAPI_DOCUMENT: Json = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'))

const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
const validators = new Map<string, ValidateFunction>()

// Literal segments first, as the route tables list them: `/accounts/me` before `/accounts/{id}`.
const templates = Object.keys(OPENAPI_DOCUMENT['paths'])
  .map((template) => ({
    template,
    params: (template.match(/\{/g) ?? []).length,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{\w+\\?\}/g, '[^/]+')}/?$`),
  }))
  .sort((a, b) => a.params - b.params)

/** Replaces every `$ref` into the document with what it points at, so a schema stands alone. */
function resolve(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolve)
  if (typeof node !== 'object' || node === null) return node
  const ref = (node as Json)['$ref']
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    const target = ref.slice(2).split('/').reduce<any>((at, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], OPENAPI_DOCUMENT)
    assert.ok(target, `unresolvable $ref ${ref}`)
    return resolve(target)
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, resolve(value)]))
}

/**
 * Fails unless the answer to `method path` is one the document gives for that operation: a status it
 * lists, and a JSON body that validates against that status's schema. Requests to no documented
 * operation (unknown paths, methods a path does not take) are not checked: the document has nothing to say.
 */
export function assertDocumented(method: string, path: string, status: number, contentType: string | null, body: unknown): void {
  const pathname = new URL(path, 'http://x').pathname
  const verb = method.toLowerCase()
  const match = templates.find(({ pattern, template }) => pattern.test(pathname) && OPENAPI_DOCUMENT['paths'][template][verb])
  if (!match || verb === 'head') return
  const operation = OPENAPI_DOCUMENT['paths'][match.template][verb]
  const where = `${method} ${pathname} (${match.template}) answered ${status}`
  const response = operation.responses[String(status)]
  assert.ok(response, `${where}, a status the OpenAPI document does not list`)
  const content = (resolve(response) as Json)['content'] as Json | undefined
  if (!content) {
    assert.equal(body, undefined, `${where} with a body the OpenAPI document does not give`)
    return
  }
  const type = (contentType ?? '').split(';')[0]!.trim()
  const media = content[type]
  assert.ok(media, `${where} as ${type || 'no content type'}, which the OpenAPI document does not give (${Object.keys(content).join(', ')})`)
  const key = `${match.template} ${verb} ${status} ${type}`
  let validate = validators.get(key)
  if (!validate) {
    validate = ajv.compile(resolve(media.schema) as Json)
    validators.set(key, validate)
  }
  assert.ok(validate(body), `${where}, a body that does not match the OpenAPI document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`)
}
