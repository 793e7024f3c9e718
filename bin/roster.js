#!/usr/bin/env node
// roster ships TypeScript sources; tsx loads them so the CLI needs no build step.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli.ts')
