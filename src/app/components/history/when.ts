import type { Locale } from '../../../domain/format.ts'

/** A moment as officials write it: "14:12 23/11/2026" in Vietnamese, "23/11/2026, 14:12" in English. */
export function formatMoment(iso: string, locale: Locale): string {
  return new Date(iso).toLocaleString(locale === 'vi' ? 'vi-VN' : 'en-GB', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  })
}
