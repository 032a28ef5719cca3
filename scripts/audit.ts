/**
 * `npm audit --omit=dev --audit-level=high` for CI (`npx tsx scripts/audit.ts`): fails the build
 * when a production dependency has a high or critical advisory, and only warns when the registry
 * cannot answer audits at all — a mirror without the advisory endpoint answers 405, an offline
 * build has no registry — so those builds still run every test. Anything else npm reports as an
 * error (no lockfile, a broken tree) fails, because then nothing was checked.
 */
import { spawnSync } from 'node:child_process'

export type Verdict =
  | { kind: 'pass'; counts: Record<string, number> }
  | { kind: 'fail'; counts: Record<string, number> }
  | { kind: 'unavailable'; reason: string }
  | { kind: 'error'; reason: string }

const BLOCKING = ['high', 'critical']
/** npm's codes for a registry that could not be reached at all. */
const NETWORK_CODES = ['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? Reflect.get(value, key) : undefined
}

/** What `npm audit --json` printed means for the build. */
export function auditVerdict(output: string): Verdict {
  let report: unknown
  try {
    report = JSON.parse(output)
  } catch {
    return { kind: 'error', reason: `npm audit printed no JSON: ${output.slice(0, 200)}` }
  }
  const found = field(field(report, 'metadata'), 'vulnerabilities')
  if (typeof found === 'object' && found !== null) {
    const counts = Object.fromEntries(
      Object.entries(found).map(([level, n]) => [level, typeof n === 'number' ? n : 0]),
    )
    const blocking = BLOCKING.some((level) => (counts[level] ?? 0) > 0)
    return { kind: blocking ? 'fail' : 'pass', counts }
  }
  const status = field(report, 'statusCode')
  const code = field(field(report, 'error'), 'code') ?? field(report, 'code')
  const message = String(field(report, 'message') ?? field(field(report, 'error'), 'summary') ?? '')
  if (typeof status === 'number' && status >= 400)
    return { kind: 'unavailable', reason: `the registry answered ${status}: ${message}` }
  if (typeof code === 'string' && NETWORK_CODES.includes(code))
    return { kind: 'unavailable', reason: `the registry is unreachable (${code})` }
  return { kind: 'error', reason: message || JSON.stringify(report).slice(0, 200) }
}

function main(): number {
  const run = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high', '--json'], {
    encoding: 'utf8',
  })
  const verdict = auditVerdict(run.stdout)
  switch (verdict.kind) {
    case 'pass':
      console.log(`npm audit: no high or critical advisories (${JSON.stringify(verdict.counts)})`)
      return 0
    case 'fail':
      console.error(`npm audit: high or critical advisories in production dependencies`)
      console.error(JSON.stringify(verdict.counts))
      spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high'], { stdio: 'inherit' })
      return 1
    case 'unavailable':
      console.warn(`WARNING: npm audit could not run, ${verdict.reason}.`)
      console.warn('WARNING: production dependencies were NOT checked for advisories.')
      return 0
    case 'error':
      console.error(`npm audit failed: ${verdict.reason}`)
      return 1
  }
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main()
