import { createHash } from 'node:crypto'
import type { CompiledQuery } from 'kysely'
import { MARK } from '../query-param.js'

/**
 * A kysely query compiled once, run as a named prepared statement: `pg` parses it on a connection the
 * first time that connection runs it and only binds afterwards. The name is the text's hash, so one
 * text always has one name on every connection.
 */
export interface PgQuery<R> {
  readonly name: string
  readonly text: string
  bind(args?: object): unknown[]
  /**
   * Reads nothing but rows it locks until commit: an UPDATE's own rows, an INSERT's or upsert's keys
   * (unique checks wait for the writer), foreign keys (KEY SHARE), and the same of its triggers. A write
   * made only of such statements runs READ COMMITTED (pg-session.ts), so never set it on a SELECT.
   */
  readonly locking: boolean
  /** Only for the result type: never set. */
  readonly row?: R
}

/** Compiles `compiled` into a statement whose `param(name)` marks bind from a call's arguments. */
export function pgQuery<R = never>(compiled: CompiledQuery<unknown>, options: { locking?: boolean } = {}): PgQuery<R> {
  const slots = compiled.parameters.map((value): { name: string } | { name?: undefined; value: unknown } =>
    typeof value === 'string' && value.startsWith(MARK) ? { name: value.slice(MARK.length) } : { value },
  )
  return {
    name: `roster_${createHash('sha1').update(compiled.sql).digest('hex').slice(0, 20)}`,
    text: compiled.sql,
    locking: options.locking ?? false,
    bind: (args: object = {}) =>
      slots.map((slot) => {
        if (slot.name === undefined) return slot.value
        const value = (args as Record<string, unknown>)[slot.name]
        if (value === undefined) throw new TypeError(`missing query argument "${slot.name}"`)
        return value
      }),
  }
}

/** Runs prepared queries on one connection: the one of the transaction (or read) in progress (pg-session.ts). */
export interface PgConnection {
  rows<R>(query: PgQuery<R>, args?: object): Promise<R[]>
  first<R>(query: PgQuery<R>, args?: object): Promise<R | undefined>
  /** How many rows the statement changed. */
  run(query: PgQuery<unknown>, args?: object): Promise<number>
  /** A write whose result nobody needs, sent with the next statement or the commit (PgSession.runLater). */
  runLater(query: PgQuery<unknown>, args?: object): Promise<void>
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
