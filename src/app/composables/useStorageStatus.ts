import { shallowRef, type ShallowRef } from 'vue'
import { estimateUsage, isPersisted, requestPersistence } from '../db/storage.ts'

export type PersistState = 'granted' | 'denied' | 'unsupported' | 'unknown'

export interface UseStorageStatusReturn {
  persisted: ShallowRef<PersistState>
  usage: ShallowRef<{ usage: number; quota: number } | null>
  refresh: () => Promise<void>
  request: () => Promise<void>
}

/** Whether the browser promised to keep our data, and how much space it uses. */
export function useStorageStatus(): UseStorageStatusReturn {
  const persisted = shallowRef<PersistState>('unknown')
  const usage = shallowRef<{ usage: number; quota: number } | null>(null)

  async function refresh(): Promise<void> {
    const state = await isPersisted()
    persisted.value = state === 'unsupported' ? 'unsupported' : state ? 'granted' : 'denied'
    usage.value = await estimateUsage()
  }

  async function request(): Promise<void> {
    persisted.value = await requestPersistence()
    usage.value = await estimateUsage()
  }

  void refresh()
  return { persisted, usage, refresh, request }
}
