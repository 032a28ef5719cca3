/**
 * The one way into chart.js: a dynamic import, so it never joins the first screen's bundle. A screen
 * that will draw calls it early, so the chunk loads while the data is still being read.
 */
import type * as ChartsModule from './register.ts'

type Charts = typeof ChartsModule

let loading: Promise<Charts> | null = null

export function loadCharts(): Promise<Charts> {
  loading ??= import('./register.ts').catch((error: unknown) => {
    // A chunk that failed to arrive (an update mid-visit, no precache) may arrive on a later try.
    loading = null
    throw error
  })
  return loading
}
