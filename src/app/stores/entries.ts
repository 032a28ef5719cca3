import { shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import {
  EntryLockedError,
  EntryValidationError,
  getEntry,
  isQuotaError,
  saveEntry,
  type EntryInput,
  type OpAuthor,
} from '../db/entries.ts'
import { deleteDraft, getDraft, saveDraft } from '../db/drafts.ts'
import { getInstallId } from '../db/meta.ts'
import { getSession } from '../db/session.ts'
import { isPersisted, requestPersistence } from '../db/storage.ts'
import type { DraftRecord, EntryRecord } from '../db/schema.ts'
import type { Month } from '../../domain/periods.ts'
import { useSyncStore } from './sync.ts'

/** What the entry form confirms; `resolves` lists the open conflicts the official settled. */
export type { EntryInput } from '../db/entries.ts'

export type SaveResult =
  | { ok: true; record: EntryRecord }
  | { ok: false; reason: 'invalid' | 'quota' | 'locked' | 'unknown'; detail: string }

/** Saving entries and their drafts. Reads go through live queries in composables. */
export const useEntriesStore = defineStore('entries', () => {
  const deviceId = shallowRef<string | null>(null)
  let persistenceAsked = false

  /**
   * The first confirmed entry is the moment to ask the browser not to evict our storage: a prompt
   * (where browsers show one) then makes sense to the official, and Chromium grants it silently to
   * an installed or engaged app.
   */
  async function askPersistence(): Promise<void> {
    if (persistenceAsked) return
    persistenceAsked = true
    if ((await isPersisted()) === false) await requestPersistence()
  }

  /** This installation's id. */
  async function device(): Promise<string> {
    deviceId.value ??= await getInstallId(db)
    return deviceId.value
  }

  /**
   * Who a change made now belongs to. Read from the database rather than the session store, so a
   * save right after start-up, or after a sign-in in another tab, still gets the right owner.
   */
  async function author(): Promise<OpAuthor> {
    const user = (await getSession(db))?.user ?? null
    return { deviceId: await device(), userId: user?.id ?? null, username: user?.username ?? null }
  }

  /**
   * Saves an entry and its outbox operation together and asks the sync engine to send it shortly;
   * failures come back as reasons, not throws.
   */
  async function save(input: EntryInput): Promise<SaveResult> {
    try {
      const record = await saveEntry(db, input, await author())
      void askPersistence().catch(() => undefined)
      useSyncStore().nudge()
      return { ok: true, record }
    } catch (error) {
      if (error instanceof EntryValidationError) return { ok: false, reason: 'invalid', detail: '' }
      if (isQuotaError(error)) return { ok: false, reason: 'quota', detail: '' }
      // The month was accepted (by a pull) after the screen last checked: nothing was written.
      if (error instanceof EntryLockedError) return { ok: false, reason: 'locked', detail: '' }
      return {
        ok: false,
        reason: 'unknown',
        detail: error instanceof Error ? error.message : String(error),
      }
    }
  }

  function load(unitCode: string, month: Month): Promise<EntryRecord | undefined> {
    return getEntry(db, unitCode, month)
  }

  function loadDraft(unitCode: string, month: Month): Promise<DraftRecord | undefined> {
    return getDraft(db, unitCode, month)
  }

  function keepDraft(draft: Omit<DraftRecord, 'key' | 'updatedAt'>): Promise<void> {
    return saveDraft(db, draft)
  }

  function discardDraft(unitCode: string, month: Month): Promise<void> {
    return deleteDraft(db, unitCode, month)
  }

  return { deviceId, device, author, save, load, loadDraft, keepDraft, discardDraft }
})
