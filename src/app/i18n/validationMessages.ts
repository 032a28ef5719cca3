/** Turns the domain's validation codes into sentences an official can act on. */
import { MAX_COUNT } from '../../domain/format.ts'
import type { Counts } from '../../domain/indicators.ts'
import type { FieldError, FieldWarning } from '../../domain/validation.ts'
import type { UseI18nReturn } from './useI18n.ts'

type Translator = Pick<UseI18nReturn, 't'>

export function errorMessage({ t }: Translator, error: FieldError, counts: Counts): string {
  switch (error.code) {
    case 'required':
      return t('errors.required', { field: t(`elements.${error.field}`).toLowerCase() })
    case 'tooLarge':
      return t('errors.tooLarge', { max: MAX_COUNT })
    case 'exceeds':
      return t('errors.exceeds', {
        field: t(`elements.${error.field}`),
        value: counts[error.field] ?? 0,
        other: t(`elements.${error.other}`).toLowerCase(),
        otherValue: counts[error.other] ?? 0,
      })
    default:
      return t(`errors.${error.code}`)
  }
}

export function warningMessage({ t }: Translator, warning: FieldWarning): string {
  return t('warnings.outlier', { low: warning.low, high: warning.high })
}
