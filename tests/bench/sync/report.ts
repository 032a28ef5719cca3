/** The sync benchmarks' rows of the bench table, and their goals. */
import { fixed, kib, mark, mib, thousands, type Row } from '../format.ts'
import type { BurstFigures } from './burst.ts'
import type { LoadFigure } from './latency.ts'
import type { FirstPullResult } from './firstPull.ts'
import type { WireFigure } from './wire.ts'

export const SYNC_GOALS = {
  /** One commune's monthly push: one request, request and response together under 1 KiB. */
  pushRequests: 1,
  pushBytes: 1024,
  /** Month-end: every commune's push answered within a second, the whole country within a minute. */
  burstP99Ms: 1_000,
  burstSeconds: 60,
  /** A first pull, as a multiple of writing the same entries in bulk. */
  pullBulkRatio: 3,
}

const backendName = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const

const load = (f: LoadFigure): string =>
  `${thousands(f.perSecond)}/s, p50 ${fixed(f.p50Ms, 1)} ms, p99 ${fixed(f.p99Ms, 1)} ms`

/** Three rows per backend: the push load, the health route under the same load, exactly once. */
export function burstRows(f: BurstFigures): Row[] {
  const instances = `${f.instances} instance${f.instances > 1 ? 's' : ''}`
  const name = `Burst ${backendName[f.backend]}, ${instances}, ${f.era} (${f.month})`
  const s = f.stored
  return [
    {
      figure: `${name}: push (${thousands(f.push.requests)} req, ${f.inFlight} devices in flight)`,
      value: `${load(f.push)}; all in ${fixed(f.push.ms / 1000, 1)} s`,
      goal: `p99 ≤ ${thousands(SYNC_GOALS.burstP99Ms)} ms, all ≤ ${SYNC_GOALS.burstSeconds} s; ${thousands(f.devices)} communes, ${f.retried} resent after a lost answer, ${f.duplicated} sent twice at once`,
      result: mark(
        f.push.p99Ms <= SYNC_GOALS.burstP99Ms && f.push.ms <= SYNC_GOALS.burstSeconds * 1000,
      ),
    },
    {
      figure: `${name}: push as a ratio to GET /api/health under the same load`,
      value: `${fixed(f.push.perSecond / f.health.perSecond, 2)}x rate, ${fixed(f.push.p99Ms / f.health.p99Ms, 1)}x p99`,
      goal: `health: ${load(f.health)}`,
      result: '',
    },
    {
      figure: `${name}: every op stored exactly once`,
      value: `ops ${thousands(s.opsRows)} rows for ${thousands(s.idsSent)} ids (${s.missing} missing, ${s.unexpected} unknown); entries ${thousands(s.entries)}, ${thousands(s.version1)} at v1; answers ${thousands(f.answersAsExpected)}/${thousands(f.answers)} as expected`,
      goal: `${thousands(f.devices)} rows, ${thousands(f.devices)} entries all v1`,
      result: mark(f.exactlyOnce),
    },
  ]
}

const wire = (w: WireFigure): string =>
  `${w.requests} request${w.requests === 1 ? '' : 's'}, ${kib(w.receivedBytes)} received (${w.contentEncoding ?? 'uncompressed'}; ${mib(w.jsonBytes)} JSON), ${kib(w.sentBytes)} sent`

/** The first pull with its bytes, the unit list after it, and one commune's monthly push. */
export function pullRows({ pull: p, push }: FirstPullResult): Row[] {
  const w = push.wire
  const pushBytes = w.sentBytes + w.receivedBytes
  const pushOk = w.requests === SYNC_GOALS.pushRequests && pushBytes < SYNC_GOALS.pushBytes
  return [
    {
      figure: `First pull into IDB: ${thousands(p.entries)} entries = ${thousands(p.values)} values`,
      value: `${fixed(p.pullMs)} ms = ${thousands(p.valuesPerSecond)} values/s, median of ${p.runs}: ${p.pullRunsMs.map((ms) => fixed(ms)).join(', ')} ms`,
      goal: `viewer of ${p.viewerProvinces} provinces; ${fixed(p.transportMs)} ms of it in transport.pull`,
      result: '',
    },
    {
      figure: `First pull / bulkPutEntries of ${thousands(p.entries)}`,
      value: `${fixed(p.pullBulkRatio, 2)}x (bulk ${fixed(p.bulkMs)} ms, median of ${p.runs}: ${p.bulkRunsMs.map((ms) => fixed(ms)).join(', ')} ms)`,
      goal: `≤ ${SYNC_GOALS.pullBulkRatio}x: what network, JSON and pages add to the raw write`,
      result: mark(p.pullBulkRatio <= SYNC_GOALS.pullBulkRatio),
    },
    {
      figure: 'First pull on the wire',
      value: wire(p.pullWire),
      goal: 'bytes as the server wrote them, headers included',
      result: '',
    },
    {
      figure: `Unit list after the pull (${thousands(p.units)} units)`,
      value: `${fixed(p.unitsMs)} ms; ${wire(p.unitsWire)}`,
      goal: 'the rest of a first sync',
      result: '',
    },
    {
      figure: "One commune's monthly push (6 counts)",
      value: `${w.requests} request, ${thousands(pushBytes)} B: sent ${thousands(w.sentBytes)} (headers ${thousands(w.requestHeaderBytes)}, body ${thousands(w.requestBodyBytes)}), received ${thousands(w.receivedBytes)} (headers ${thousands(w.responseHeaderBytes)})`,
      goal: `${SYNC_GOALS.pushRequests} request, < ${thousands(SYNC_GOALS.pushBytes)} B`,
      result: mark(pushOk),
    },
  ]
}
