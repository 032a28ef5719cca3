/** How the bench's table writes numbers, and the shape of its rows. */

/** One line of the printed table. */
export interface Row {
  figure: string
  value: string
  goal: string
  /** PASS, FAIL, or empty for figures without a goal. */
  result: string
}

export const fixed = (value: number, digits = 0): string => value.toFixed(digits)
export const mark = (pass: boolean): string => (pass ? 'PASS' : 'FAIL')
export const thousands = (value: number): string => Math.round(value).toLocaleString('en')
export const kib = (bytes: number): string => `${fixed(bytes / 1024, 1)} KiB`
export const mib = (bytes: number): string => `${fixed(bytes / 1024 / 1024, 1)} MiB`
