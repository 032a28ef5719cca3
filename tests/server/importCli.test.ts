/** `import-units --format …`, run as a real process against an SQLite data directory. */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../../src/server/store/open.ts'

const run = promisify(execFile)
const FIXTURES = join('tests', 'fixtures', 'units')
let dataDir: string

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir }
  delete env.DATABASE_URL
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/server/cli.ts', 'import-units', ...args],
      { env },
    )
    return { code: 0, stdout, stderr }
  } catch (error) {
    if (error instanceof Error && 'stdout' in error && 'stderr' in error && 'code' in error)
      return {
        code: Number(error.code),
        stdout: String(error.stdout),
        stderr: String(error.stderr),
      }
    throw error
  }
}

async function counts() {
  const store = await openStore({ dataDir })
  try {
    return { units: (await store.listUnits()).length, links: (await store.listLinks()).length }
  } finally {
    await store.close()
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sohoa-import-cli-'))
})
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

describe('cli import-units --format', { timeout: 60_000 }, () => {
  it('refuses a file with a bad row, naming it, and writes nothing', async () => {
    const bad = await cli(
      '--format',
      'stats',
      '--file',
      join(FIXTURES, 'stats-bad.csv'),
      '--effective-date',
      '2024-01-01',
    )
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('nothing imported')
    expect(bad.stderr).toContain('row 3: mã xã "180040" phải gồm 5 chữ số')
    expect(bad.stderr).not.toContain('Usage')
    expect(await counts()).toEqual({ units: 0, links: 0 })
    const format = await cli('--format', 'pdf', '--file', join(FIXTURES, 'stats-42.csv'))
    expect(format.code).toBe(1)
    expect(format.stderr).toContain('--format must be one of')
  })

  it('a dry run writes nothing', async () => {
    const dry = await cli(
      '--format',
      'units-old',
      '--file',
      join(FIXTURES, 'units-old.json'),
      '--dry-run',
    )
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('Dry run')
    expect(await counts()).toEqual({ units: 0, links: 0 })
  })

  it('imports the old list, the new list and the mapping; again changes nothing', async () => {
    const steps = [
      ['units-old', 'units-old.json'],
      ['units-new', 'units-new.json'],
      ['merges', 'merges.json'],
    ] as const
    const outputs: string[] = []
    for (const [format, file] of steps) {
      const result = await cli('--format', format, '--file', join(FIXTURES, file))
      expect(result.code, result.stderr).toBe(0)
      outputs.push(result.stdout)
    }
    expect(outputs[1]).toContain('on 2025-07-01: 2, 0, 3.')
    expect(await counts()).toEqual({ units: 16, links: 10 })
    for (const [format, file] of steps) {
      const result = await cli('--format', format, '--file', join(FIXTURES, file))
      expect(result.stdout).toMatch(/units 0 added, 0 closed, \d+ unchanged; links 0 added/)
    }
    expect(await counts()).toEqual({ units: 16, links: 10 })
  })
})
