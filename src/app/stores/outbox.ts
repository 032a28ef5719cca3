import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { pendingCount } from '../db/outbox.ts'
import { useLiveQuery } from '../composables/useLiveQuery.ts'

/** Changes saved on this device that the server has not acknowledged yet. */
export const useOutboxStore = defineStore('outbox', () => {
  const { data: pending } = useLiveQuery(() => pendingCount(db), { initial: 0 })
  return { pending }
})
