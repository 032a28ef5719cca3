/**
 * Admin commands, run next to the server with the same environment (DATABASE_URL or DATA_DIR):
 *
 *   npx tsx src/server/cli.ts create-user --username xa42001 --role reporter --units 42001 [--password …]
 *   npx tsx src/server/cli.ts reset-password --username xa42001 [--password …]
 *   npx tsx src/server/cli.ts import-units --file units.json
 *   npx tsx src/server/cli.ts import-units --format units-old --file units-2025-03-01.json
 *   npx tsx src/server/cli.ts load-demo
 *
 * A password left out is generated and printed once.
 */
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { Compile } from 'typebox/compile'
import { RoleSchema, UnitSchema } from '../domain/sync/protocol.ts'
import type { UnitImportFormat } from '../domain/unitImport/types.ts'
import { UNIT_TYPES, type Unit } from '../domain/units.ts'
import { AccountError, createAccount, resetPassword } from './auth/accounts.ts'
import { normalizeUsername } from './auth/login.ts'
import { generatePassword } from './auth/password.ts'
import { buildUnitTree } from './auth/scope.ts'
import { ConfigError, readConfig } from './config.ts'
import { DEMO_PASSWORD, loadDemo } from './seed.ts'
import { openStore } from './store/open.ts'
import type { Store } from './store/store.ts'
import { readImportFile } from './unitFiles.ts'

const USAGE = `Usage: npx tsx src/server/cli.ts <command> [options]

  create-user --username NAME --role reporter|viewer|admin [--units 42001,42002]
              [--display-name "Xã A"] [--password PASSWORD]
  reset-password --username NAME [--password PASSWORD]
  import-units --file units.json      (a JSON array of units, as GET /api/units returns them)
  import-units --format stats|units-old|units-new|merges --file FILE
               [--effective-date YYYY-MM-DD] [--dry-run]
                                      (an official list or mapping; see docs/admin.md)
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

const IMPORT_FORMATS: readonly UnitImportFormat[] = ['stats', 'units-old', 'units-new', 'merges']

function isImportFormat(value: string | undefined): value is UnitImportFormat {
  return IMPORT_FORMATS.some((format) => format === value)
}

async function importUnits(store: Store, args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      file: { type: 'string' },
      format: { type: 'string' },
      'effective-date': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
    },
  })
  const file = required(values.file, 'file')
  if (values.format === undefined) return importOwnUnits(store, file)
  if (!isImportFormat(values.format))
    throw new UsageError(`--format must be one of ${IMPORT_FORMATS.join(', ')}.`)
  const read = await readImportFile({
    format: values.format,
    fileName: basename(file),
    content: await readFile(file),
    effectiveDate: values['effective-date'],
  })
  if (!read.ok)
    throw new ImportFileError(
      `${file}: nothing imported.\n${read.errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
    )
  const result = await store.importUnits({
    format: values.format,
    fileName: basename(file),
    effectiveDate: read.effectiveDate,
    parsed: read.parsed,
    dryRun: values['dry-run'],
    actor: 'cli',
  })
  const { before, after } = result.active
  return (
    `${result.dryRun ? 'Dry run (nothing written)' : 'Imported'} ${file} as of ${result.effectiveDate}: ` +
    `units ${result.units.added} added, ${result.units.closed} closed, ${result.units.unchanged} unchanged; ` +
    `links ${result.links.added} added, ${result.links.unchanged} unchanged.\n` +
    `Active before: ${before.province} provinces, ${before.district} districts, ${before.commune} communes; ` +
    `on ${result.effectiveDate}: ${after.province}, ${after.district}, ${after.commune}.`
  )
}

/** A file of problems: not a usage error, so no usage text after it. */
class ImportFileError extends Error {}

/** Our own JSON: an array of versioned units, as GET /api/units returns them. */
async function importOwnUnits(store: Store, file: string): Promise<string> {
  const parsed: unknown = JSON.parse(await readFile(file, 'utf8'))
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
  else if (!(
    error instanceof AccountError ||
    error instanceof ConfigError ||
    error instanceof ImportFileError
  ))
    console.error(error)
  process.exitCode = 1
}
