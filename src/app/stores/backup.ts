import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { BackupError, exportBackup, importBackup } from '../db/backup.ts'
import { BACKUP_FILE_PREFIX } from '../constants.ts'
import { useEntriesStore } from './entries.ts'

export type ImportResult =
  | { ok: true; added: number; updated: number; skipped: number }
  | { ok: false; reason: string; row: number | null }

/** Backup files: the rescue path for a phone that cannot sync. */
export const useBackupStore = defineStore('backup', () => {
  const entries = useEntriesStore()

  async function exportFile(now = new Date()): Promise<File> {
    const backup = await exportBackup(db, now)
    const stamp = now.toISOString().slice(0, 16).replace(/[:T]/g, '-')
    return new File([JSON.stringify(backup)], `${BACKUP_FILE_PREFIX}-${stamp}.json`, {
      type: 'application/json',
    })
  }

  async function importFile(file: Blob): Promise<ImportResult> {
    let data: unknown
    try {
      data = JSON.parse(await file.text())
    } catch {
      return { ok: false, reason: 'notBackup', row: null }
    }
    try {
      return { ok: true, ...(await importBackup(db, data, await entries.author())) }
    } catch (error) {
      if (error instanceof BackupError)
        return { ok: false, reason: error.reason, row: error.row ?? null }
      throw error
    }
  }

  return { exportFile, importFile }
})
