/**
 * The communes' phones in a burst: each holds its month as one push request, ready to send; one in
 * twenty loses the answer and resends once it is over, another one in twenty sends the same push
 * twice at once. Every answer is judged against what exactly-once promises.
 */
import { randomUUID } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { Compile } from 'typebox/compile'
import {
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  PROTOCOL_VERSION,
  PushResponseSchema,
  SCHEMA_VERSION,
  type PushRequest,
} from '../../../src/domain/sync/protocol.ts'
import { benchCounts } from '../entries.ts'
import type { SignedIn } from './accounts.ts'
import { send, type Answer, type Target } from './http.ts'
import { measured, type LoadFigure } from './latency.ts'
import { runPool } from './pool.ts'

/** One device in twenty loses its answer and resends; another one in twenty sends twice at once. */
const EVERY = 20
export type Behaviour = 'once' | 'retry' | 'duplicate'
const behaviourOf = (i: number): Behaviour =>
  i % EVERY === 10 ? 'retry' : i % EVERY === 15 ? 'duplicate' : 'once'

export interface Device {
  behaviour: Behaviour
  opId: string
  target: Target
  headers: Record<string, string | number>
  body: Buffer
}

const checkPushResponse = Compile(PushResponseSchema)

export const VERSION_HEADERS = {
  [HEADER_PROTOCOL]: String(PROTOCOL_VERSION),
  [HEADER_SCHEMA]: String(SCHEMA_VERSION),
}

/** A commune's phone with its month ready to push: all six counts, never pushed before. */
export function device(account: SignedIn, i: number, month: string, targets: Target[]): Device {
  const unitCode = account.user.unitCodes[0]
  const to = targets[i % targets.length]
  if (unitCode === undefined || to === undefined) throw new Error('A device without unit or server')
  const opId = randomUUID()
  const request: PushRequest = {
    deviceId: `${randomUUID()}:${account.user.id}`,
    ops: [
      {
        id: opId,
        seq: 1,
        kind: 'entry.put',
        unitCode,
        month,
        counts: benchCounts(i),
        note: '',
        baseVersion: null,
        createdAt: new Date().toISOString(),
      },
    ],
  }
  const body = Buffer.from(JSON.stringify(request))
  return {
    behaviour: behaviourOf(i),
    opId,
    target: to,
    body,
    headers: {
      ...VERSION_HEADERS,
      authorization: `Bearer ${account.token}`,
      'content-type': 'application/json',
      'content-length': body.length,
    },
  }
}

/** Sends every device's push(es), `inFlight` devices at a time. */
export async function pushLoad(
  devices: Device[],
  inFlight: number,
): Promise<{ load: LoadFigure; asExpected: number; problems: string[] }> {
  const latencies: number[] = []
  const problems: string[] = []
  let asExpected = 0
  const push = async (d: Device): Promise<Answer> => {
    const answer = await send(d.target, 'POST', '/api/sync/push', d.headers, d.body)
    latencies.push(answer.ms)
    return answer
  }
  const start = performance.now()
  await runPool(devices, inFlight, async (d) => {
    let answers: Answer[]
    if (d.behaviour === 'retry') answers = [await push(d), await push(d)]
    else if (d.behaviour === 'duplicate') answers = await Promise.all([push(d), push(d)])
    else answers = [await push(d)]
    const verdicts = judge(d, answers)
    asExpected += verdicts.filter((v) => v === null).length
    for (const v of verdicts) if (v !== null && problems.length < 5) problems.push(v)
  })
  return { load: measured(latencies, performance.now() - start).figure, asExpected, problems }
}

/**
 * Null for each answer that is what exactly-once promises: the first applied at version 1, a resend
 * a duplicate of it; of two sent at once, one applied and the other a duplicate.
 */
function judge(d: Device, answers: Answer[]): (string | null)[] {
  const expected =
    d.behaviour === 'once' ? ['applied'] : d.behaviour === 'retry' ? ['applied', 'duplicate'] : null
  const statuses = answers.map((answer) => {
    if (answer.status !== 200) return `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`
    const body = parseJson(answer.body)
    if (!checkPushResponse.Check(body)) return `unexpected body: ${answer.body.slice(0, 200)}`
    const [result] = body.results
    if (result?.id !== d.opId || body.results.length !== 1) return `wrong results: ${answer.body}`
    if (result.status === 'rejected') return `rejected: ${result.reason} ${result.detail}`
    if (result.version !== 1) return `${result.status} at version ${result.version}`
    return result.status
  })
  // Two copies sent at once may be answered in either order.
  const want =
    expected ?? (statuses[0] === 'duplicate' ? ['duplicate', 'applied'] : ['applied', 'duplicate'])
  return statuses.map((status, i) =>
    status === want[i] ? null : `${d.behaviour} device, answer ${i + 1}: ${status}`,
  )
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
