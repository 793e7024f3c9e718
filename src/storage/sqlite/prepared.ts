import type BetterSqlite3 from 'better-sqlite3'
import type { CompiledQuery } from 'kysely'
import { MARK } from '../query-param.js'

export { param } from '../query-param.js'

/** A kysely query compiled once into one prepared better-sqlite3 statement, bound by name on every call. */
export interface PreparedQuery<R> {
  get(args?: object): R | undefined
  all(args?: object): R[]
  run(args?: object): BetterSqlite3.RunResult
}

/** How a prepared query hands back rows: objects keyed by column, or (`raw`) arrays in column order. */
export interface PrepareOptions {
  /** Arrays, not objects: better-sqlite3 builds a 20-column row object at twice the cost of the array. */
  readonly raw?: boolean | undefined
}

/**
 * Prepares `compiled` once. Each parameter is either a `param(name)` mark, bound from the call's
 * arguments, or a constant kysely collected at compile time.
 */
export function prepareQuery<R>(handle: BetterSqlite3.Database, compiled: CompiledQuery<unknown>, options: PrepareOptions = {}): PreparedQuery<R> {
  const statement = handle.prepare(compiled.sql)
  if (options.raw) statement.raw(true)
  const slots = compiled.parameters.map((value): { name: string } | { name?: undefined; value: unknown } =>
    typeof value === 'string' && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { value },
  )
  const bind = (args: object = {}): unknown[] =>
    slots.map((slot) => {
      if (slot.name === undefined) return slot.value
      const value = (args as Record<string, unknown>)[slot.name]
      if (value === undefined) throw new TypeError(`missing query argument "${slot.name}"`)
      return value
    })
  return {
    get: (args) => statement.get(...bind(args)) as R | undefined,
    all: (args) => statement.all(...bind(args)) as R[],
    run: (args) => statement.run(...bind(args)),
  }
}

/** How many query shapes one cache keeps prepared; the least recently used beyond it are dropped. */
export const QUERY_CACHE_SIZE = 256

/**
 * Prepared queries whose shape varies (optional filters, changed columns), built once per shape.
 * Bounded: a client that invents shapes (every ordering of a dozen filters) costs at most
 * QUERY_CACHE_SIZE statements, recompiling the rarest ones.
 */
export class QueryCache<R> {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly byShape = new Map<string, PreparedQuery<R>>()

  constructor(
    private readonly handle: BetterSqlite3.Database,
    private readonly options: PrepareOptions = {},
    private readonly capacity = QUERY_CACHE_SIZE,
  ) {}

  /** The prepared query for `shape`, compiling it with `build` the first time the shape is seen. */
  get(shape: string, build: () => CompiledQuery<unknown>): PreparedQuery<R> {
    let query = this.byShape.get(shape)
    if (query) {
      this.byShape.delete(shape)
    } else {
      query = prepareQuery<R>(this.handle, build(), this.options)
      if (this.byShape.size >= this.capacity) this.byShape.delete(this.byShape.keys().next().value!)
    }
    this.byShape.set(shape, query)
    return query
  }

  /** How many shapes are prepared now. */
  get size(): number {
    return this.byShape.size
  }
}
