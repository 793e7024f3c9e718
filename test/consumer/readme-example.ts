/** What the README's library example prints; the consumer test compares each run's output with it. */
export const EXAMPLE_OUTPUT = 'Acme Corporation is suspended; 1 suspended user in Acme\n'

const SECTION = '## Use it as a library'
const IMPORT = "import { openRoster } from 'roster'"

/** The README's library example exactly as printed: the first ```ts block of its "Use it as a library" section. */
export function readmeLibraryExample(readme: string): string {
  const section = readme.indexOf(SECTION)
  if (section < 0) throw new Error(`README has no "${SECTION}" section`)
  const start = readme.indexOf('```ts\n', section)
  const end = readme.indexOf('\n```', start)
  if (start < 0 || end < 0) throw new Error(`no \`\`\`ts block under "${SECTION}"`)
  const example = readme.slice(start + '```ts\n'.length, end + 1)
  if (!example.startsWith(`${IMPORT}\n`)) throw new Error(`the example does not start with: ${IMPORT}`)
  return example
}

/** The same example as CommonJS, the way the README says to write it: require(), the body inside an async function. */
export function cjsExample(example: string): string {
  const body = example.slice(IMPORT.length).trim().split('\n').map((line) => (line ? `  ${line}` : line)).join('\n')
  return `const { openRoster } = require('roster')\n\nasync function main() {\n${body}\n}\n\nmain()\n`
}
