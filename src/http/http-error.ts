/** A request that failed before reaching the core (unreadable body, unknown route); surfaces wrap it in their envelope. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** A request header that cannot be honoured: surfaces that say where an error is point at the header. */
export class HeaderError extends HttpError {
  constructor(
    status: number,
    readonly header: string,
    /** A machine-readable reason, for surfaces whose envelope carries one. */
    readonly code: string,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(status, message, undefined, headers)
  }
}
