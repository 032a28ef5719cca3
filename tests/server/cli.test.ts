/** The admin CLI, run as a real process against an SQLite data directory. */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDemo } from '../../src/domain/demo.ts'
import { verifyPassword } from '../../src/server/auth/password.ts'
import { openStore } from '../../src/server/store/open.ts'

const run = promisify(execFile)
let dataDir: string

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir }
  delete env.DATABASE_URL
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli.ts', ...args],
      { env },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    if (error instanceof Error && 'stdout' in error && 'stderr' in error && 'code' in error) {
      return {
        code: Number(error.code),
        stdout: String(error.stdout),
        stderr: String(error.stderr),
      }
    }
    throw error
  }
}

async function findUser(username: string) {
  const store = await openStore({ dataDir })
  try {
    return await store.findUserByUsername(username)
  } finally {
    await store.close()
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sohoa-cli-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('cli', { timeout: 60_000 }, () => {
  it('imports units, creates a user with a generated password, and resets it', async () => {
    const unitsFile = join(dataDir, 'units.json')
    await writeFile(unitsFile, JSON.stringify(buildDemo({ endMonth: '2025-09' }).units))
    const imported = await cli('import-units', '--file', unitsFile)
    expect(imported.stdout).toMatch(/Imported 16 units/)

    const created = await cli(
      'create-user',
      '--username',
      'xa99019',
      '--role',
      'reporter',
      '--units',
      '99019',
    )
    expect(created.code, created.stderr).toBe(0)
    const generated = /password: (\S+)/.exec(created.stdout)?.[1] ?? ''
    expect(generated).toHaveLength(16)
    const user = await findUser('xa99019')
    expect(user).toMatchObject({ role: 'reporter', unitCodes: ['99019'] })
    expect(await verifyPassword(generated, user?.passwordHash ?? '')).toBe(true)

    const reset = await cli(
      'reset-password',
      '--username',
      'xa99019',
      '--password',
      'chosen by the admin',
    )
    expect(reset.code, reset.stderr).toBe(0)
    expect(reset.stdout).not.toContain('chosen by the admin')
    const after = await findUser('xa99019')
    expect(await verifyPassword('chosen by the admin', after?.passwordHash ?? '')).toBe(true)
  })

  it('refuses bad input with a message and a non-zero exit', async () => {
    const unknownUnit = await cli(
      'create-user',
      '--username',
      'xa1',
      '--role',
      'reporter',
      '--units',
      '42001',
    )
    expect(unknownUnit.code).toBe(1)
    expect(unknownUnit.stderr).toMatch(/Unknown unit 42001/)
    const unknown = await cli('launch-rockets')
    expect(unknown.code).toBe(1)
    expect(unknown.stderr).toMatch(/Usage/)
  })

  it('loads the demo', async () => {
    const loaded = await cli('load-demo')
    expect(loaded.code, loaded.stderr).toBe(0)
    expect(loaded.stdout).toMatch(/accounts admin, tinh, xa99019/)
    expect(await findUser('tinh')).toMatchObject({ role: 'viewer', unitCodes: ['99'] })
  })
})
