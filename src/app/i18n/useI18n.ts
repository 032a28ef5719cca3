/**
 * A typed message catalogue. Keys are checked by the compiler against the Vietnamese catalogue, so a
 * missing English string is a type error rather than a blank on screen. Small on purpose: the first
 * screen's JavaScript budget has no room for a general i18n runtime.
 */
import { computed, ref, shallowRef, type ComputedRef, type Ref } from 'vue'
import { formatCount, formatRate, type Locale } from '../../domain/format.ts'
import { parseMonth, type Month } from '../../domain/periods.ts'
import { vi, type Messages } from './vi.ts'

/**
 * Vietnamese ships with the first screen; English is fetched (or read from the offline cache) when
 * someone chooses it, which keeps ~6 KiB of brotli out of the first screen's budget.
 */
// Vietnamese starts without the on-demand screens' texts (loadScreenMessages adds them).
const catalogues = shallowRef<Partial<Record<Locale, Partial<Messages>>>>({ vi })

/** Makes `lang` available to `translate`; resolves at once when it already is. */
export async function loadCatalogue(lang: Locale): Promise<void> {
  if (catalogues.value[lang]) return
  const { en } = await import('./en.ts')
  catalogues.value = { ...catalogues.value, en }
}

let screenMessages: Promise<void> | null = null

/**
 * Adds the Vietnamese texts of the on-demand screens (dashboards, targets, reports); the router
 * awaits it before such a screen renders. English has them already: its catalogue loads whole.
 */
export function loadScreenMessages(): Promise<void> {
  screenMessages ??= import('./vi.screens.ts').then(
    ({ viScreens }) => {
      const vi = catalogues.value.vi
      if (vi) catalogues.value = { ...catalogues.value, vi: { ...vi, ...viScreens } }
    },
    (error: unknown) => {
      // Not fetched (offline before it was cached): the next screen that needs it tries again.
      screenMessages = null
      throw error
    },
  )
  return screenMessages
}

/** A part loaded on demand, with the Vietnamese texts of on-demand screens loaded alongside. */
export async function withScreenMessages<T>(part: Promise<T>): Promise<T> {
  const [module] = await Promise.all([part, loadScreenMessages()])
  return module
}

/** Dotted paths to every string in the catalogue, e.g. `'entry.save'`. */
type Paths<T, Prefix extends string = ''> = {
  [K in keyof T & string]: T[K] extends string ? `${Prefix}${K}` : Paths<T[K], `${Prefix}${K}.`>
}[keyof T & string]
export type MessageKey = Paths<Messages>

export type MessageParams = Record<string, string | number>

const locale = ref<Locale>('vi')

function lookup(messages: Partial<Messages>, key: string): string {
  let node: unknown = messages
  for (const part of key.split('.')) {
    node =
      typeof node === 'object' && node !== null
        ? (node as Record<string, unknown>)[part]
        : undefined
  }
  return typeof node === 'string' ? node : key
}

/**
 * Translates `key` in `lang`, filling `{name}` placeholders; numbers are formatted for the locale.
 * Until a lazily loaded catalogue arrives the Vietnamese text stands in, and the reactive read
 * re-renders the caller once it does.
 */
export function translate(lang: Locale, key: MessageKey, params: MessageParams = {}): string {
  return lookup(catalogues.value[lang] ?? vi, key).replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name]
    if (value === undefined) return whole
    return typeof value === 'number' ? formatCount(value, lang) : value
  })
}

export interface UseI18nReturn {
  locale: Ref<Locale>
  t: (key: MessageKey, params?: MessageParams) => string
  count: (value: number) => string
  rate: (value: number | null) => string
  /** "Tháng 3/2025" or "March 2025", for a month standing alone. */
  month: (value: Month) => string
  /** "3/2025" or "March 2025", for sentences whose Vietnamese text already says "tháng". */
  monthShort: (value: Month) => string
  lang: ComputedRef<string>
}

const monthFormats = new Map<Locale, Intl.DateTimeFormat>()

export function formatMonth(value: Month, lang: Locale, short = false): string {
  const { year, month } = parseMonth(value)
  if (lang === 'vi') return short ? `${month}/${year}` : `Tháng ${month}/${year}`
  let format = monthFormats.get(lang)
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })
    monthFormats.set(lang, format)
  }
  return format.format(new Date(Date.UTC(year, month - 1, 1)))
}

/** The app-wide language; one shared ref so every component switches together. */
export function useI18n(): UseI18nReturn {
  return {
    locale,
    t: (key, params) => translate(locale.value, key, params),
    count: (value) => formatCount(value, locale.value),
    rate: (value) => formatRate(value, locale.value),
    month: (value) => formatMonth(value, locale.value),
    monthShort: (value) => formatMonth(value, locale.value, true),
    lang: computed(() => (locale.value === 'vi' ? 'vi' : 'en')),
  }
}
