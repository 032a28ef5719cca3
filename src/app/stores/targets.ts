import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { isQuotaError } from '../db/errors.ts'
import type { TargetRecord } from '../db/schema.ts'
import { listTargets, saveTarget, TargetValidationError, type TargetInput } from '../db/targets.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'
import { useEntriesStore } from './entries.ts'
import { useSyncStore } from './sync.ts'

export type { TargetInput } from '../db/targets.ts'

export type SaveTargetResult =
  | { ok: true; record: TargetRecord }
  | { ok: false; reason: 'invalid' | 'quota' | 'unknown'; detail: string }

/**
 * Target settings on this phone (the server's, plus any not yet sent) and saving one. The server
 * decides who may set what; a refused setting shows in the sync store's `rejected` list.
 */
export const useTargetsStore = defineStore('targets', () => {
  const { data: targets, loading } = useLiveQuery<TargetRecord[]>(() => listTargets(db), {
    initial: [],
  })

  /**
   * Saves a target and its outbox op together, as the signed-in user, and asks the sync engine to
   * send it shortly; failures come back as reasons (`detail`: the invalid field), not throws.
   */
  async function save(input: TargetInput): Promise<SaveTargetResult> {
    try {
      const record = await saveTarget(db, input, await useEntriesStore().author())
      useSyncStore().nudge()
      return { ok: true, record }
    } catch (error) {
      if (error instanceof TargetValidationError) {
        return { ok: false, reason: 'invalid', detail: error.field }
      }
      if (isQuotaError(error)) return { ok: false, reason: 'quota', detail: '' }
      return {
        ok: false,
        reason: 'unknown',
        detail: error instanceof Error ? error.message : String(error),
      }
    }
  }

  return { targets, loading, save }
})
