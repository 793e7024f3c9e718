import type { Route } from '../router.js'
import type { JsonSchema } from './json-schema.js'
import type { OperationDoc, QueryParameterDoc, ResponseDoc, SurfaceDoc } from './operation-doc.js'

/** What the document is built from: each surface's route table and its doc. */
export interface DocumentedSurface {
  readonly routes: readonly Route[]
  readonly doc: () => SurfaceDoc
}

export const OPENAPI_PATH = '/openapi.json'
const VERSION = '0.1.0'

const IDEMPOTENCY_KEY = {
  name: 'Idempotency-Key', in: 'header', required: false,
  description: 'Makes the POST safe to retry: the first answer is kept 24 hours per tenant and API key and replayed to retries of the same request (`Idempotent-Replayed: true`).',
  schema: { type: 'string', minLength: 1, maxLength: 257 },
}

const ETAG = { description: "The resource's strong entity-tag: it changes with every change to the resource.", schema: { type: 'string' } }
const IF_NONE_MATCH = {
  name: 'If-None-Match', in: 'header', required: false,
  description: 'ETags the client holds (or `*`): when one is current, the answer is 304 with no body.',
  schema: { type: 'string' },
}
const IF_MATCH = {
  name: 'If-Match', in: 'header', required: false,
  description: 'Makes the change conditional: it is made only when one of the strong ETags listed (or `*`) is current, else 412.',
  schema: { type: 'string' },
}

/**
 * roster's OpenAPI 3.1 document, built from the surfaces' route tables and the docs beside them:
 * every route of every surface, with its parameters, body, answers and the surface's error envelope
 * for every failure it can answer. Throws when a route has no doc, so none can be left out.
 */
export function buildOpenApiDocument(surfaces: readonly DocumentedSurface[]): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  const schemas: Record<string, JsonSchema> = {}
  const responses: Record<string, unknown> = {}
  for (const surface of surfaces) {
    const { routes } = surface
    const doc = surface.doc()
    const errorName = `${doc.tag.replace(/\W/g, '')}Error`
    schemas[errorName] = doc.errorSchema
    Object.assign(responses, errorResponses(doc, errorName))
    for (const route of routes) {
      const operation = doc.operations[`${route.method} ${route.path}`]
      if (!operation) throw new Error(`No OpenAPI doc for ${route.method} ${route.path}`)
      const template = route.path.replace(/:(\w+)/g, '{$1}')
      paths[template] ??= {}
      paths[template][route.method.toLowerCase()] = operationOf(route, operation, doc, errorName)
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'roster',
      version: VERSION,
      description: 'Multi-tenant user accounts: the admin API (`/v1/admin`), the IAM API (`/api/v3/iam`, JSON:API 1.1) and the account users API (`/accounts/{accountId}`), all over one store. Generated from the route tables and the valibot schemas; never edited by hand.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'roster serve, as started by default' }],
    security: [{ bearer: [] }, { apiKey: [] }],
    tags: [...surfaces.map(({ doc }) => ({ name: doc().tag, description: doc().description })), { name: 'Document', description: 'This document.' }],
    paths: { ...paths, [OPENAPI_PATH]: documentPath() },
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An admin key, a user credential or the bootstrap key: `Authorization: Bearer KEY`.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The same key in `X-API-Key`.' },
      },
    },
  }
}

/** The surface's failures, one shared response per status, each in the surface's envelope. */
function errorResponses(doc: SurfaceDoc, errorName: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc.errors).map(([status, description]) => [`${errorName}${status}`, {
    description,
    ...(status === '429' || status === '409' ? { headers: { 'Retry-After': header('Seconds to wait before trying again, when given.', 'integer') } } : {}),
    content: { [doc.contentType]: { schema: { $ref: `#/components/schemas/${errorName}` } } },
  }]))
}

function operationOf(route: Route, operation: OperationDoc, doc: SurfaceDoc, errorName: string): Record<string, unknown> {
  const pathParameters = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
  const parameters = [
    ...pathParameters, ...(operation.query ?? []).map(queryParameter), ...(route.method === 'POST' ? [IDEMPOTENCY_KEY] : []),
    ...(operation.conditional === 'read' ? [IF_NONE_MATCH] : operation.conditional === 'write' ? [IF_MATCH] : []),
  ]
  const content = (schema: JsonSchema) => ({ [doc.contentType]: { schema } })
  const responses: Record<string, unknown> = {}
  for (const [status, response] of Object.entries(operation.responses)) {
    const answer = responseOf(response, content)
    const tagged = operation.conditional === 'read' && status === '200'
    responses[status] = tagged ? { ...answer, headers: { ...(answer['headers'] as object | undefined), ETag: ETAG } } : answer
  }
  if (operation.conditional === 'read') responses['304'] = { description: 'Not modified: `If-None-Match` names the current ETag.', headers: { ETag: ETAG } }
  for (const status of Object.keys(doc.errors)) responses[status] ??= { $ref: `#/components/responses/${errorName}${status}` }
  return {
    tags: [doc.tag],
    summary: operation.summary,
    ...(operation.description && { description: operation.description }),
    operationId: operationId(route),
    ...(parameters.length > 0 && { parameters }),
    ...(operation.body && {
      requestBody: { required: operation.bodyRequired ?? false, content: { [doc.contentType]: { schema: operation.body }, ...(doc.contentType !== 'application/json' && { 'application/json': { schema: operation.body } }) } },
    }),
    responses,
  }
}

function responseOf(response: ResponseDoc, content: (schema: JsonSchema) => unknown): Record<string, unknown> {
  const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([name, description]) => [name, header(description, 'string')]))
  return {
    description: response.description,
    ...(Object.keys(headers).length > 0 && { headers }),
    ...(response.schema && { content: content(response.schema) }),
  }
}

function header(description: string, type: string) {
  return { description, schema: { type } }
}

function queryParameter(parameter: QueryParameterDoc): Record<string, unknown> {
  const base = { name: parameter.name, in: 'query', required: false, ...(parameter.description && { description: parameter.description }) }
  if (parameter.type === 'family') {
    return { ...base, style: 'deepObject', explode: true, schema: { type: 'object', additionalProperties: { type: 'string' } } }
  }
  return { ...base, schema: { type: parameter.type } }
}

/** `GET /v1/admin/users/:id/credentials` → `getV1AdminUsersIdCredentials`: unique because method and path are. */
function operationId(route: Route): string {
  const words = route.path.split(/[^A-Za-z0-9]+/).filter(Boolean)
  return route.method.toLowerCase() + words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')
}

function documentPath(): Record<string, unknown> {
  return {
    get: {
      tags: ['Document'],
      summary: 'This OpenAPI document',
      description: 'Needs no key: it describes the API and holds no data.',
      operationId: 'getOpenapiJson',
      security: [],
      responses: {
        200: { description: 'The document.', content: { 'application/json': { schema: { type: 'object' } } } },
        405: { description: 'Only GET and HEAD.', content: { 'application/json': { schema: { type: 'object', properties: { error: { type: 'string' } } } } } },
      },
    },
  }
}
