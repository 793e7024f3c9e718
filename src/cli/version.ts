import { createRequire } from 'node:module'

/** The version in roster's package.json, found by the package's own name from src/ and from dist/ alike. */
export function packageVersion(): string {
  // A self-reference through `exports` ("./package.json"), so the path does not depend on the build layout.
  const { version } = createRequire(import.meta.url)('roster/package.json') as { version: string }
  return version
}
