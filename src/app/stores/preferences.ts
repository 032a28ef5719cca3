import { defineStore } from 'pinia'
import { db } from '../db/connection.ts'
import { getMeta, setMeta } from '../db/meta.ts'
import { loadCatalogue, useI18n } from '../i18n/useI18n.ts'
import type { Locale } from '../../domain/format.ts'

/** The language, remembered on this device. */
export const usePreferencesStore = defineStore('preferences', () => {
  const { locale } = useI18n()

  async function load(): Promise<void> {
    const saved = await getMeta(db, 'locale')
    if (!saved) return
    await loadCatalogue(saved)
    locale.value = saved
  }

  async function setLocale(value: Locale): Promise<void> {
    await loadCatalogue(value)
    locale.value = value
    await setMeta(db, 'locale', value)
  }

  return { locale, load, setLocale }
})
