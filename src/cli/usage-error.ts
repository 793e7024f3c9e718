/** A mistake in how the CLI was called; printed as one line with a pointer to `--help`. */
export class UsageError extends Error {}
