/** A mistake in how the CLI was called; printed as one line with a pointer to `--help`. */
export class UsageError extends Error {}

/** The environment stopped the command (a port in use, an unreadable file); printed as one line. */
export class StartupError extends Error {}
