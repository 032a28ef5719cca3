/**
 * A phone pushing its outbox over real HTTP as the app does: oldest first, one push at a time,
 * batches of varying size, and after a lost answer (connection reset by the killed server, refused
 * while it restarts, turned away while it stops, timed out) the same ops again. Now and then it
 * also resends ops that were already acknowledged, as a phone that lost its outbox bookkeeping
 * would, and now and then it loses signal a few ms into a push: the server usually commits that
 * push, and its answer is lost without any kill. Every answer it gets is kept, so the test can compare what the server said
 * with what the database holds.
 */
import { Compile } from 'typebox/compile'
import {
  PushResponseSchema,
  type Op,
  type OpResult,
  type PushRequest,
} from '../../../src/domain/sync/protocol.ts'
import { VERSION_HEADERS } from '../../bench/sync/devices.ts'
import type { Phone, Random } from './workload.ts'

const MAX_BATCH = 12
/** Chance that a push also carries one to three ops already acknowledged. */
const RESEND_ACKED = 0.15
/** Chance that the phone drops the connection 1 to 40 ms into a push. */
const DROP = 0.05
/** An answer slower than this counts as lost; the ops are sent again. */
const REQUEST_TIMEOUT_MS = 20_000
/** Backoff after lost answers: doubling from the first, up to the last, jittered. */
const BACKOFF_MS = { first: 25, max: 600 }

const checkPushResponse = Compile(PushResponseSchema)

/** Counters shared by all phones; the killer reads the in-flight ones. */
export interface Traffic {
  pushesInFlight: number
  opsInFlight: number
  /** Ops acknowledged at least once. */
  acknowledged: number
  pushes: number
  /** Pushes whose answer never came (network error or timeout), and those the phone dropped. */
  lost: number
  dropped: number
  /** Ops sent again after a lost answer, and acknowledged ops resent on purpose. */
  resentUnanswered: number
  resentAcknowledged: number
  /**
   * `duplicate` answers, and those among them for an op never answered before: it was committed
   * by a push whose answer was lost, to a kill or to a dropped connection.
   */
  duplicates: number
  committedUnanswered: { kill: number; drop: number }
  /**
   * Set while the killer stops the server gracefully: it answers 503 to requests it will not serve
   * (Fastify's return503OnClosing), and the phone sends those again, as the app does.
   */
  closing: boolean
  /** Answers other than 200, and malformed 200s: none are expected. */
  problems: string[]
}

export const newTraffic = (): Traffic => ({
  pushesInFlight: 0,
  opsInFlight: 0,
  acknowledged: 0,
  pushes: 0,
  lost: 0,
  dropped: 0,
  resentUnanswered: 0,
  resentAcknowledged: 0,
  duplicates: 0,
  committedUnanswered: { kill: 0, drop: 0 },
  closing: false,
  problems: [],
})

/** What one phone was told. */
export interface PhoneLog {
  phone: Phone
  /** Every per-op answer received, by op id, in arrival order. */
  answers: Map<string, OpResult[]>
  /** The ackSeq of every 200 answer, in arrival order. */
  ackSeqs: number[]
}

export interface PushTo {
  /** The server's address now; a restarted server keeps it. */
  url: () => string
  traffic: Traffic
  /** When to give up: ops still unacknowledged then fail the test. */
  deadline: number
}

/** Pushes until every op of the phone's outbox has an answer. */
export async function pushOutbox(phone: Phone, random: Random, to: PushTo): Promise<PhoneLog> {
  const log: PhoneLog = { phone, answers: new Map(), ackSeqs: [] }
  const sent = new Set<string>()
  /** Why the last push carrying each unanswered op got no answer. */
  const lostTo = new Map<string, 'kill' | 'drop'>()
  const { traffic } = to
  let lostInARow = 0
  for (;;) {
    const pending = phone.ops.filter((op) => !log.answers.has(op.id))
    if (pending.length === 0) return log
    if (Date.now() > to.deadline)
      throw new Error(`${phone.deviceId}: ${pending.length} ops still unacknowledged`)
    const batch = pending.slice(0, random.int(1, MAX_BATCH))
    const again = random.chance(RESEND_ACKED) ? acknowledgedSample(random, phone.ops, log) : []
    for (const op of batch) if (sent.has(op.id)) traffic.resentUnanswered += 1
    for (const op of batch) sent.add(op.id)
    traffic.resentAcknowledged += again.length
    const ops = [...again, ...batch]
    const dropAfter = random.chance(DROP) ? random.int(1, 40) : null
    if (dropAfter !== null) traffic.dropped += 1
    const answer = await send(to, phone, ops, dropAfter)
    if (answer === null) {
      traffic.lost += 1
      for (const op of batch) lostTo.set(op.id, dropAfter === null ? 'kill' : 'drop')
      lostInARow += 1
      // Jittered, so the phones do not all knock at the restarting server in step.
      const backoff = Math.min(BACKOFF_MS.first * 2 ** (lostInARow - 1), BACKOFF_MS.max)
      await sleep(backoff * (0.5 + random.next()))
      continue
    }
    lostInARow = 0
    log.ackSeqs.push(answer.ackSeq)
    answer.results.forEach((result, i) => {
      const op = ops[i]
      if (op === undefined || result.id !== op.id || result.seq !== op.seq) {
        traffic.problems.push(`${phone.deviceId}: result ${i} is not for the op sent there`)
        return
      }
      const earlier = log.answers.get(op.id)
      if (result.status === 'duplicate') {
        traffic.duplicates += 1
        const lost = lostTo.get(op.id)
        if (earlier === undefined && lost !== undefined) traffic.committedUnanswered[lost] += 1
      }
      if (earlier === undefined) {
        traffic.acknowledged += 1
        log.answers.set(op.id, [result])
      } else earlier.push(result)
    })
  }
}

/** One to three acknowledged ops, oldest first (they precede the pending ones in the stream). */
function acknowledgedSample(random: Random, ops: readonly Op[], log: PhoneLog): Op[] {
  const acknowledged = ops.filter((op) => log.answers.has(op.id))
  if (acknowledged.length === 0) return []
  const picked = new Set<Op>()
  const wanted = random.int(1, 3)
  for (let i = 0; i < wanted; i++) {
    const op = acknowledged[random.int(0, acknowledged.length - 1)]
    if (op !== undefined) picked.add(op)
  }
  return [...picked].sort((a, b) => a.seq - b.seq)
}

/** The push's answer, or null when it was lost. */
async function send(
  to: PushTo,
  phone: Phone,
  ops: Op[],
  dropAfter: number | null,
): Promise<{ results: OpResult[]; ackSeq: number } | null> {
  const { traffic } = to
  const request: PushRequest = { deviceId: phone.deviceId, ops }
  traffic.pushes += 1
  traffic.pushesInFlight += 1
  traffic.opsInFlight += ops.length
  try {
    const response = await fetch(`${to.url()}/api/sync/push`, {
      method: 'POST',
      headers: {
        ...VERSION_HEADERS,
        authorization: `Bearer ${phone.account.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request),
      signal: AbortSignal.timeout(dropAfter ?? REQUEST_TIMEOUT_MS),
    })
    const text = await response.text()
    if (response.status === 503 && traffic.closing) return null
    if (response.status !== 200) {
      traffic.problems.push(`${phone.deviceId}: HTTP ${response.status} ${text.slice(0, 300)}`)
      return null
    }
    const body: unknown = JSON.parse(text)
    if (!checkPushResponse.Check(body) || body.results.length !== ops.length) {
      traffic.problems.push(`${phone.deviceId}: malformed answer ${text.slice(0, 300)}`)
      return null
    }
    return body
  } catch {
    // Reset, refused or timed out: the answer is lost, whether or not the push committed.
    return null
  } finally {
    traffic.pushesInFlight -= 1
    traffic.opsInFlight -= ops.length
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
