/**
 * The first screen's JavaScript budget, failing CI: the scripts a first visit to / loads before the
 * network goes quiet, brotli-compressed as the bench measures them. Sizes of a given build are
 * deterministic, so this is a test; the timings stay in `npm run bench`.
 */
import { afterAll, beforeAll, expect, inject, it } from 'vitest'
import type { BrowserContext } from 'playwright-core'
import { recordScripts, sizeScripts } from '../bench/pageLoad.ts'
import { GOALS } from '../bench/report.ts'
import { firstPage, launchBrowser, makeProfile, ShellServer, type Profile } from './harness.ts'

const { current } = inject('builds')
const server = new ShellServer()
let profile: Profile
let context: BrowserContext
let url: string

beforeAll(async () => {
  profile = await makeProfile()
  url = await server.start(current.dir)
  context = await launchBrowser(profile)
})
afterAll(async () => {
  await context?.close()
  await server.dispose()
  await profile.remove()
})

it(`loads at most ${GOALS.firstScreenBrotliKiB} KiB of JavaScript (brotli) for the first screen, without chart.js`, async () => {
  const page = await firstPage(context)
  const paths = recordScripts(page, new URL(url).origin)
  await page.goto(url)
  await page.getByRole('main').getByRole('heading', { level: 1 }).waitFor()
  await page.waitForLoadState('networkidle')

  const scripts = await sizeScripts(current.dir, paths)
  const kib = scripts.reduce((sum, script) => sum + script.brotliBytes, 0) / 1024
  const listing = scripts
    .map((s) => `${s.path} ${(s.brotliBytes / 1024).toFixed(1)} KiB`)
    .join(', ')
  console.info(
    `First-screen JS: ${kib.toFixed(1)} KiB brotli in ${scripts.length} files: ${listing}`,
  )
  expect(scripts.length, 'no script was recorded').toBeGreaterThan(0)
  expect(scripts.filter((s) => s.hasChartJs).map((s) => s.path)).toEqual([])
  expect(kib, listing).toBeLessThanOrEqual(GOALS.firstScreenBrotliKiB)
})
