/**
 * IndexedDB write throughput in Chromium through the app's own db module. The bench page is built
 * on its own (tests/bench/page) and served from a separate origin, so no bench code reaches users
 * and the app's service worker is not involved.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'vite'
import { firstPage, launchBrowser, makeProfile, ROOT, ShellServer } from '../e2e/harness.ts'
import type { WriteResult } from './page/main.ts'

/** Throughput of the one-transaction bulk write and of one transaction per record. */
export interface IdbResult {
  bulk: WriteResult
  oneByOne: WriteResult
}

/** Writes `bulkCount` entries in one transaction and `singleCount` one transaction each. */
export async function benchIndexedDb(bulkCount: number, singleCount: number): Promise<IdbResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'sohoa-bench-page-'))
  const server = new ShellServer()
  const profile = await makeProfile()
  try {
    await build({
      root: join(ROOT, 'tests', 'bench', 'page'),
      configFile: false,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true, target: 'es2022' },
    })
    const url = await server.start(outDir)
    const context = await launchBrowser(profile)
    try {
      const page = await firstPage(context)
      await page.goto(url)
      await page.waitForFunction(() => window.sohoaBench !== undefined)
      // These callbacks run in the page, where the bench page has installed window.sohoaBench.
      const bulk = await page.evaluate((n) => window.sohoaBench?.bulk(n), bulkCount)
      const oneByOne = await page.evaluate((n) => window.sohoaBench?.oneByOne(n), singleCount)
      if (!bulk || !oneByOne) throw new Error('The bench page did not install window.sohoaBench')
      return { bulk, oneByOne }
    } finally {
      await context.close()
    }
  } finally {
    await server.stop()
    await profile.remove()
    await rm(outDir, { recursive: true, force: true })
  }
}
