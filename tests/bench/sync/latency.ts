/** Throughput and latency percentiles of one load of requests. */
import { percentile } from '../report.ts'

/** Throughput and latency of one load. */
export interface LoadFigure {
  requests: number
  ms: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

/** A load's figure and the latencies it came from, to combine loads later. */
export interface Measured {
  figure: LoadFigure
  latencies: number[]
}

/** The figure of `latencies` measured over `ms` of wall time. */
export function measured(latencies: number[], ms: number): Measured {
  return {
    latencies,
    figure: {
      requests: latencies.length,
      ms,
      perSecond: (latencies.length / ms) * 1000,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
    },
  }
}

/** Several loads as one: all their requests over all their time. */
export function combine(runs: Measured[]): LoadFigure {
  const latencies = runs.flatMap((run) => run.latencies)
  return measured(
    latencies,
    runs.reduce((sum, run) => sum + run.figure.ms, 0),
  ).figure
}
