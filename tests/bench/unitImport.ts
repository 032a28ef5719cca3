/**
 * Bench part `import`: the time to import the official lists from ../shared/data (read in place,
 * never copied) into a fresh database, on SQLite and PostgreSQL: the old three-level list, the new
 * two-level list and the merge mapping, each parsed and written as the admin route does it; then
 * the same three again (which change nothing), as a ratio to the first import.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { UnitImportFormat } from '../../src/domain/unitImport/types.ts'
import type { Store } from '../../src/server/store/store.ts'
import { readImportFile } from '../../src/server/unitFiles.ts'
import { ROOT } from '../e2e/harness.ts'
import { fixed, mark, thousands, type Row } from './format.ts'
import { openBenchDb, type Backend } from './sync/benchDb.ts'

const SHARED = join(ROOT, '..', 'shared', 'data')
const FILES: readonly { format: UnitImportFormat; file: string }[] = [
  { format: 'units-old', file: join(SHARED, 'units-2025-03-01.json') },
  { format: 'units-new', file: join(SHARED, 'units-2026-07-25.json') },
  { format: 'merges', file: join(SHARED, 'units-2025-07-01-merges.json') },
]

export interface ImportStep {
  format: UnitImportFormat
  ms: number
  /** Rows written (units added + closed, links added). */
  written: number
}

export interface ImportFigures {
  backend: Backend
  first: ImportStep[]
  again: ImportStep[]
  firstMs: number
  againMs: number
  /** again / first. */
  ratio: number
  units: number
  links: number
}

async function importAll(store: Store): Promise<ImportStep[]> {
  const steps: ImportStep[] = []
  for (const { format, file } of FILES) {
    const started = performance.now()
    const read = await readImportFile({
      format,
      fileName: basename(file),
      content: await readFile(file),
    })
    if (!read.ok) throw new Error(`${file}: ${JSON.stringify(read.errors.slice(0, 3))}`)
    const result = await store.importUnits({
      format,
      fileName: basename(file),
      effectiveDate: read.effectiveDate,
      parsed: read.parsed,
      dryRun: false,
      actor: 'bench',
    })
    steps.push({
      format,
      ms: performance.now() - started,
      written: result.units.added + result.units.closed + result.links.added,
    })
  }
  return steps
}

export function officialListsPresent(): boolean {
  return FILES.every(({ file }) => existsSync(file))
}

export async function benchImport(backend: Backend, databaseUrl: string): Promise<ImportFigures> {
  if (!officialListsPresent()) throw new Error(`the official lists are not in ${SHARED}`)
  const db = await openBenchDb(backend, databaseUrl)
  try {
    const first = await importAll(db.store)
    const again = await importAll(db.store)
    if (again.some((step) => step.written > 0))
      throw new Error(`a re-import wrote rows: ${JSON.stringify(again)}`)
    const sum = (steps: ImportStep[]) => steps.reduce((total, step) => total + step.ms, 0)
    return {
      backend,
      first,
      again,
      firstMs: sum(first),
      againMs: sum(again),
      ratio: sum(again) / sum(first),
      units: (await db.store.listUnits()).length,
      links: (await db.store.listLinks()).length,
    }
  } finally {
    await db.drop()
  }
}

/** An admin waits on the import screen: the whole country's lists within 10 s; a re-import no slower. */
export const IMPORT_GOALS = { firstMs: 10_000, ratio: 1.5 }

export function importRows(f: ImportFigures): Row[] {
  const steps = (list: ImportStep[]) =>
    list.map((step) => `${step.format} ${fixed(step.ms)} ms`).join(', ')
  return [
    {
      figure: `Import official lists (${f.backend}): old + new + mapping`,
      value: `${fixed(f.firstMs)} ms (${steps(f.first)})`,
      goal: `≤ ${thousands(IMPORT_GOALS.firstMs)} ms; ${thousands(f.units)} unit versions, ${thousands(f.links)} links; parse + one transaction each`,
      result: mark(f.firstMs <= IMPORT_GOALS.firstMs),
    },
    {
      figure: `Re-import of the same three (${f.backend})`,
      value: `${fixed(f.ratio, 2)}x the first (${fixed(f.againMs)} ms: ${steps(f.again)})`,
      goal: `≤ ${IMPORT_GOALS.ratio}x; writes nothing (checked)`,
      result: mark(f.ratio <= IMPORT_GOALS.ratio),
    },
  ]
}
