import type { Place } from './router.js'
import type { Identity } from './session.js'

/** What every page gets: where to draw, who is signed in, where it is, and a signal aborted when the user moves on. */
export interface ViewContext {
  readonly main: HTMLElement
  readonly identity: Identity
  readonly place: Place
  readonly signal: AbortSignal
}

export type View = (context: ViewContext) => Promise<void>

/** Settles every load at once, so a page is drawn in one go when its data is in (no layout shift while loading). */
export async function loadAll<T extends readonly unknown[]>(loads: { [K in keyof T]: Promise<T[K]> }): Promise<{ [K in keyof T]: PromiseSettledResult<T[K]> }> {
  return Promise.allSettled(loads) as never
}
