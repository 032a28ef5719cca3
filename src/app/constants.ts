/** Names the app shares across files: routes, storage keys, limits. */

export const ROUTES = {
  home: 'home',
  units: 'units',
  entry: 'entry',
  settings: 'settings',
  login: 'login',
  targets: 'targets',
  dashboard: 'dashboard',
  report: 'report',
  admin: 'admin',
  review: 'review',
} as const

/** How long typing must pause before the draft is written to IndexedDB. */
export const DRAFT_DEBOUNCE_MS = 300

/** File name prefix of exported backups. */
export const BACKUP_FILE_PREFIX = 'sohoa-sao-luu'

/**
 * localStorage key of the ledger (src/app/db/ledger.ts): what this phone had not sent yet, kept
 * beside IndexedDB so that a database the browser erased can be reported.
 */
export const LEDGER_KEY = 'sohoa.ledger'
