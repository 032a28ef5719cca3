import type { ShallowRef } from 'vue'
import { db } from '../db/connection.ts'
import { dismissRecovery, getRecovery, type RecoveryNotice } from '../db/recovery.ts'
import { useLiveQuery } from './useLiveQuery.ts'

export type { LedgerChange } from '../db/ledger.ts'

export interface UseRecoveryNoticeReturn {
  notice: ShallowRef<RecoveryNotice | null>
  dismiss: () => Promise<void>
}

/** The notice about lost or restored data, kept live, and how to dismiss it for good. */
export function useRecoveryNotice(): UseRecoveryNoticeReturn {
  const { data: notice } = useLiveQuery<RecoveryNotice | null>(() => getRecovery(db), {
    initial: null,
  })
  return { notice, dismiss: () => dismissRecovery(db) }
}
