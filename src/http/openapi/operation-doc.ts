import type { JsonSchema } from './json-schema.js'

/** One answer of an operation: what it means and the JSON it carries (none for a bodiless answer). */
export interface ResponseDoc {
  readonly description: string
  readonly schema?: JsonSchema | undefined
  /** Response headers worth documenting, by name (lower case), with a description. */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/** A query parameter: a plain value, or a JSON:API family (`filter[email]`) sent as a deep object. */
export interface QueryParameterDoc {
  readonly name: string
  readonly description?: string | undefined
  readonly type: 'string' | 'integer' | 'family'
}

/** What the OpenAPI document says of one route of a surface's route table. */
export interface OperationDoc {
  readonly summary: string
  readonly description?: string | undefined
  readonly query?: readonly QueryParameterDoc[] | undefined
  readonly body?: JsonSchema | undefined
  readonly bodyRequired?: boolean | undefined
  /** The route's own answers; the surface's failures are added to every route. */
  readonly responses: Readonly<Record<number, ResponseDoc>>
  /**
   * `read`: the answer carries the resource's ETag and `If-None-Match` can make it a 304; `write`:
   * `If-Match` makes the change conditional on the resource's current ETag (412 otherwise).
   */
  readonly conditional?: 'read' | 'write' | undefined
}

/** A surface's part of the document: its failures (one envelope for all) and a doc for every route, keyed `METHOD /path/:param`. */
export interface SurfaceDoc {
  readonly tag: string
  readonly description: string
  readonly contentType: string
  readonly errorSchema: JsonSchema
  /** Every failure status a route of the surface can answer, with what it means there. */
  readonly errors: Readonly<Record<number, string>>
  readonly operations: Readonly<Record<string, OperationDoc>>
}

/** Query parameters from a route's QuerySpec (the table its handler reads the query with). */
export function queryOf(spec: Readonly<Record<string, 'string' | 'integer'>>): QueryParameterDoc[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type }))
}

/** `build` run once, on the first call; later calls return what it returned. */
export function lazily<T>(build: () => T): () => T {
  let built: { value: T } | undefined
  return () => (built ??= { value: build() }).value
}
