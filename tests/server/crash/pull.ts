/**
 * The pull stream after the crashes, from cursor 0 through the restarted server: what a phone
 * syncing for the first time would receive. Each entry must come once, as the database holds it.
 */
import { isDeepStrictEqual } from 'node:util'
import { Compile } from 'typebox/compile'
import {
  MAX_PULL_LIMIT,
  PullResponseSchema,
  type EntryChange,
} from '../../../src/domain/sync/protocol.ts'
import { VERSION_HEADERS } from '../../bench/sync/devices.ts'
import type { Tables } from './tables.ts'

const checkPullResponse = Compile(PullResponseSchema)

/** Every page from cursor 0 until `more` is false. */
export async function pullEverything(url: string, token: string): Promise<EntryChange[]> {
  const changes: EntryChange[] = []
  let cursor = '0'
  for (;;) {
    const response = await fetch(`${url}/api/sync/pull?cursor=${cursor}&limit=${MAX_PULL_LIMIT}`, {
      headers: { ...VERSION_HEADERS, authorization: `Bearer ${token}` },
    })
    const body: unknown = await response.json()
    if (response.status !== 200 || !checkPullResponse.Check(body))
      throw new Error(`pull from ${cursor}: HTTP ${response.status} ${JSON.stringify(body)}`)
    changes.push(...body.changes)
    if (!body.more) return changes
    cursor = body.cursor
  }
}

export function checkPull(changes: readonly EntryChange[], tables: Tables): string[] {
  const problems: string[] = []
  const entries = new Map(
    tables.entries.map((entry) => [`${entry.unitCode}/${entry.month}`, entry]),
  )
  const seen = new Set<string>()
  for (const change of changes) {
    const key = `${change.unitCode}/${change.month}`
    if (seen.has(key)) problems.push(`pull: ${key} came twice`)
    seen.add(key)
    const entry = entries.get(key)
    if (entry === undefined) {
      problems.push(`pull: ${key} is not in the database`)
      continue
    }
    const pulled = [change.counts, change.note, change.version]
    if (!isDeepStrictEqual(pulled, [entry.counts, entry.note, entry.version]))
      problems.push(`pull: ${key} ${JSON.stringify(pulled)}, database v${entry.version}`)
    const open = tables.conflicts
      .filter((c) => `${c.unitCode}/${c.month}` === key && !c.resolved)
      .map((c) => c.id)
      .sort()
    if (!isDeepStrictEqual(change.conflicts.map((c) => c.id).sort(), open))
      problems.push(`pull: ${key} with ${change.conflicts.length} conflicts, ${open.length} open`)
  }
  if (seen.size !== entries.size)
    problems.push(`pull: ${seen.size} entries of the ${entries.size} in the database`)
  return problems
}
