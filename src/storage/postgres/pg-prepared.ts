import { createHash } from 'node:crypto'
import type { CompiledQuery } from 'kysely'
import { MARK } from '../query-param.js'
import type { PostgresPoolClient } from './pg-pool.js'

/**
 * A kysely query compiled once, run as a named prepared statement: `pg` parses it on a connection the
 * first time that connection runs it and only binds afterwards. The name is the text's hash, so one
 * text always has one name on every connection.
 */
export interface PgQuery<R> {
  readonly name: string
  readonly text: string
  bind(args?: object): unknown[]
  /** Only for the result type: never set. */
  readonly row?: R
}

/** Compiles `compiled` into a statement whose `param(name)` marks bind from a call's arguments. */
export function pgQuery<R = never>(compiled: CompiledQuery<unknown>): PgQuery<R> {
  const slots = compiled.parameters.map((value): { name: string } | { name?: undefined; value: unknown } =>
    typeof value === 'string' && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { value },
  )
  return {
    name: `roster_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}`,
    text: compiled.sql,
    bind: (args: object = {}) =>
      slots.map((slot) => {
        if (slot.name === undefined) return slot.value
        const value = (args as Record<string, unknown>)[slot.name]
        if (value === undefined) throw new TypeError(`missing query argument "${slot.name}"`)
        return value
      }),
  }
}

/** Runs prepared queries on one connection: the one of the transaction (or read) in progress. */
export interface PgConnection {
  rows<R>(query: PgQuery<R>, args?: object): Promise<R[]>
  first<R>(query: PgQuery<R>, args?: object): Promise<R | undefined>
  /** How many rows the statement changed. */
  run(query: PgQuery<unknown>, args?: object): Promise<number>
}

export function pgConnection(client: PostgresPoolClient): PgConnection {
  const exec = (query: PgQuery<unknown>, args?: object) => client.query({ name: query.name, text: query.text, values: query.bind(args) })
  return {
    rows: async (query, args) => (await exec(query, args)).rows,
    first: async (query, args) => (await exec(query, args)).rows[0],
    run: async (query, args) => (await exec(query, args)).rowCount ?? 0,
  }
}

/** How many query shapes one cache keeps compiled; the least recently used beyond it are dropped. */
const SHAPES = 256

/** Queries whose shape varies (optional filters, changed columns), compiled once per shape. */
export class PgQueryCache<R> {
  private readonly byShape = new Map<string, PgQuery<R>>()

  get(shape: string, build: () => CompiledQuery<unknown>): PgQuery<R> {
    let query = this.byShape.get(shape)
    if (query) {
      this.byShape.delete(shape)
    } else {
      query = pgQuery<R>(build())
      if (this.byShape.size >= SHAPES) this.byShape.delete(this.byShape.keys().next().value!)
    }
    this.byShape.set(shape, query)
    return query
  }
}

/** A count or sum as a number: PostgreSQL sends bigint and numeric as strings. */
export function num(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value)
}
