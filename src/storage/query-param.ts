// Stands in for a value while a kysely query is compiled; replaced by the named argument at call time.
export const MARK = '\u0000roster:'

/** A named placeholder for a value in a query that is compiled once and run many times, on either engine. */
export function param<T = never>(name: string): T {
  return `${MARK}${name}` as T
}
