import os from 'node:os'
import { parseArgs } from 'node:util'
import type { BenchOptions, Figure, Suite } from './bench-types.js'
import { formatJsonLine, formatTable } from './lib/print.js'
import { auditSuite } from './suites/audit.js'
import { credentialsSuite } from './suites/credentials.js'
import { httpSuite } from './suites/http.js'
import { iamSuite } from './suites/iam.js'
import { postgresSuite } from './suites/postgres.js'
import { postgresHttpSuite } from './suites/postgres-http.js'
import { scaleSuite } from './suites/scale.js'
import { usersSuite } from './suites/users.js'

/** Every suite `npm run bench` runs, in order. A new suite is one import above and one entry here. */
const SUITES: readonly Suite[] = [
  usersSuite,
  credentialsSuite,
  iamSuite,
  scaleSuite,
  httpSuite,
  auditSuite,
]

const USAGE = `usage: npm run bench -- [--quick] [--json] [--durability full|normal] [--only SUITE[,SUITE]]
  --quick       a smaller scale that finishes in under a minute
  --json        one JSON line per figure on stdout, nothing else (progress goes to stderr)
  --durability  the synchronous level for roster and the baseline alike (default: full, roster's default)
  --only        run only the named suites (${SUITES.map((s) => s.name).join(', ')}; with --postgres: postgres, postgres-http)
  --postgres    run the PostgreSQL figures instead, on new databases of the server at URL (dropped after)`

function parseOptions(): { options: BenchOptions; json: boolean; suites: readonly Suite[] } {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      durability: { type: 'string', default: 'full' },
      only: { type: 'string' },
      postgres: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help) {
    console.log(USAGE)
    process.exit(0)
  }
  const durability = values.durability
  if (durability !== 'full' && durability !== 'normal') throw new Error('--durability must be full or normal')
  const only = values.only?.split(',').map((name) => name.trim())
  const available = values.postgres ? [postgresSuite(values.postgres), postgresHttpSuite(values.postgres)] : SUITES
  const unknown = only?.filter((name) => !available.some((s) => s.name === name)) ?? []
  if (unknown.length > 0) throw new Error(`unknown suite: ${unknown.join(', ')}`)
  const suites = only ? available.filter((s) => only.includes(s.name)) : available
  return { options: { quick: values.quick, durability }, json: values.json, suites }
}

async function main(): Promise<number> {
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions()
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    return 2
  }
  const { options, json, suites } = parsed
  const started = performance.now()
  const info: [string, string][] = [
    ['scale', options.quick ? 'quick' : 'full'],
    ['durability', `${options.durability} (synchronous=${options.durability.toUpperCase()}, WAL) on both sides`],
    ['node', process.version],
    ['cpu', `${os.cpus()[0]?.model ?? 'unknown'} x ${os.availableParallelism()}`],
    ['platform', `${os.platform()} ${os.release()}`],
  ]
  const note = (label: string, value: string) => {
    if (json) console.error(`${label}: ${value}`)
    else info.push([label, value])
  }
  const figures: Figure[] = []
  let failed = 0

  for (const suite of suites) {
    console.error(`[${suite.name}] running (${options.quick ? 'quick' : 'full'} scale)`)
    try {
      await suite.run(options, (figure) => {
        figures.push(figure)
        console.error(`[${suite.name}] ${figure.figure}: ${figure.ratio.toFixed(2)}x of raw (target ${figure.target}x)${figure.met ? '' : ' MISSED'}`)
        if (json) console.log(formatJsonLine(figure))
      }, note)
    } catch (error) {
      failed++
      console.error(`[${suite.name}] failed:`, error)
    }
  }

  note('peak rss', `${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`)
  const missed = figures.filter((f) => !f.met)
  const summary = `${figures.length - missed.length} of ${figures.length} targets met in ${((performance.now() - started) / 1000).toFixed(1)} s`
  if (json) {
    console.error(summary)
  } else {
    const width = Math.max(...info.map(([label]) => label.length))
    console.log(info.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n'))
    console.log(`\n${formatTable(figures)}\n\n${summary}`)
    for (const f of missed) console.log(`TARGET MISSED: ${f.figure} at ${f.ratio.toFixed(2)}x, needs ${f.target}x`)
  }
  if (failed > 0) console.error(`${failed} suite(s) failed`)
  // A missed target is a result, not an error: only a failed suite changes the exit status.
  return failed > 0 ? 1 : 0
}

process.exitCode = await main()
