/** Builds the app twice (two build ids = "current" and "next deployed version") once per run. */
import { rm } from 'node:fs/promises'
import type { TestProject } from 'vitest/node'
import { buildPwa } from './harness.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Output directories of the two builds, and their build ids. */
    builds: { current: { dir: string; id: string }; next: { dir: string; id: string } }
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stamp = Date.now().toString(36)
  const current = await buildPwa(`e2e-current-${stamp}`)
  const next = await buildPwa(`e2e-next-${stamp}`)
  project.provide('builds', { current, next })
  return async () => {
    await rm(current.dir, { recursive: true, force: true })
    await rm(next.dir, { recursive: true, force: true })
  }
}
