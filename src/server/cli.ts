/**
 * Admin commands, run next to the server with the same environment (DATABASE_URL or DATA_DIR):
 *
 *   npx tsx src/server/cli.ts create-user --username xa42001 --role reporter --units 42001 [--password …]
 *   npx tsx src/server/cli.ts reset-password --username xa42001 [--password …]
 *   npx tsx src/server/cli.ts import-units --file units.json
 *   npx tsx src/server/cli.ts load-demo
 *
 * A password left out is generated and printed once.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { Compile } from 'typebox/compile'
import { RoleSchema, UnitSchema } from '../domain/sync/protocol.ts'
import { UNIT_TYPES, type Unit } from '../domain/units.ts'
import { AccountError, createAccount, resetPassword } from './auth/accounts.ts'
import { normalizeUsername } from './auth/login.ts'
import { generatePassword } from './auth/password.ts'
import { buildUnitTree } from './auth/scope.ts'
import { ConfigError, readConfig } from './config.ts'
import { DEMO_PASSWORD, loadDemo } from './seed.ts'
import { openStore } from './store/open.ts'
import type { Store } from './store/store.ts'

const USAGE = `Usage: npx tsx src/server/cli.ts <command> [options]

  create-user --username NAME --role reporter|viewer|admin [--units 42001,42002]
              [--display-name "Xã A"] [--password PASSWORD]
  reset-password --username NAME [--password PASSWORD]
  import-units --file units.json      (a JSON array of units, as GET /api/units returns them)
  load-demo                           (the demo province, its history and demo accounts)

The database is the server's: DATABASE_URL, or the SQLite file under DATA_DIR (default ./data).
A password left out is generated and printed once.`

class UsageError extends Error {}

const checkRole = Compile(RoleSchema)
const checkUnit = Compile(UnitSchema)

function isUnit(value: unknown): value is Unit {
  return checkUnit.Check(value) && UNIT_TYPES.some((type) => type === value.type)
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new UsageError(`--${name} is required.`)
  return value
}

async function createUser(store: Store, args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      units: { type: 'string', default: '' },
      'display-name': { type: 'string' },
      password: { type: 'string' },
    },
  })
  const role = values.role
  if (!checkRole.Check(role)) throw new UsageError('--role must be reporter, viewer or admin.')
  const password = values.password ?? generatePassword()
  const user = await createAccount(store, buildUnitTree(await store.listUnits()), {
    username: required(values.username, 'username'),
    displayName: values['display-name'],
    role,
    unitCodes: values.units
      .split(',')
      .map((code) => code.trim())
      .filter(Boolean),
    password,
  })
  const shown = values.password ? '' : `\n  password: ${password}   (shown once; write it down)`
  return `Created ${user.role} ${user.username} (${user.unitCodes.join(', ') || 'all units'})${shown}`
}

async function resetUserPassword(store: Store, args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: { username: { type: 'string' }, password: { type: 'string' } },
  })
  const username = normalizeUsername(required(values.username, 'username'))
  const user = await store.findUserByUsername(username)
  if (!user) throw new UsageError(`No user ${username}.`)
  const password = values.password ?? generatePassword()
  await resetPassword(store, user.id, password)
  // A locked-out official whose password was just reset should not wait out the lockout too.
  await store.clearLoginFailures(username)
  const shown = values.password ? '' : `\n  password: ${password}   (shown once; write it down)`
  return `Password of ${username} reset; their sessions are signed out.${shown}`
}

async function importUnits(store: Store, args: string[]): Promise<string> {
  const { values } = parseArgs({ args, options: { file: { type: 'string' } } })
  const parsed: unknown = JSON.parse(await readFile(required(values.file, 'file'), 'utf8'))
  // Either a bare array or the { units } object GET /api/units answers with.
  const list =
    typeof parsed === 'object' && parsed !== null && 'units' in parsed ? parsed.units : parsed
  if (!Array.isArray(list)) throw new UsageError('Expected a JSON array of units.')
  const units: Unit[] = []
  for (const [i, unit] of list.entries()) {
    if (!isUnit(unit))
      throw new UsageError(`Unit #${i + 1} is not a valid unit: ${JSON.stringify(unit)}`)
    units.push(unit)
  }
  await store.putUnits(units)
  return `Imported ${units.length} units.`
}

async function run(command: string | undefined, args: string[]): Promise<string> {
  if (!command || command === 'help' || command === '--help') return USAGE
  const config = readConfig(process.env)
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
  try {
    await store.migrate()
    switch (command) {
      case 'create-user':
        return await createUser(store, args)
      case 'reset-password':
        return await resetUserPassword(store, args)
      case 'import-units':
        return await importUnits(store, args)
      case 'load-demo': {
        parseArgs({ args, options: {} })
        const loaded = await loadDemo(store, { adminPassword: config.adminPassword })
        return (
          `Loaded ${loaded.units} units and ${loaded.entries} entries; accounts ` +
          `${loaded.accounts.join(', ')} (new ones get the password "${DEMO_PASSWORD}").`
        )
      }
      default:
        throw new UsageError(`Unknown command ${command}.`)
    }
  } finally {
    await store.close()
  }
}

function isParseArgsError(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS')
  )
}

try {
  const [command, ...args] = process.argv.slice(2)
  console.log(await run(command, args))
} catch (error) {
  console.error(`sohoa: ${error instanceof Error ? error.message : String(error)}`)
  if (error instanceof UsageError || isParseArgsError(error)) console.error(`\n${USAGE}`)
  // Anything else is a bug or a database problem: the stack helps whoever reads it.
  else if (!(error instanceof AccountError || error instanceof ConfigError)) console.error(error)
  process.exitCode = 1
}
