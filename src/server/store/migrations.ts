/**
 * Numbered schema migrations, shared by SQLite and PostgreSQL (the DDL is the common subset: TEXT,
 * INTEGER, BIGINT; JSON as text; timestamps as ISO-8601 text, which sorts like time). Applied ones
 * are recorded in `schema_migrations`; never edit a released migration, append a new one.
 */
import { int } from './rows.ts'
import type { Sql } from './sql.ts'

export interface Migration {
  version: number
  name: string
  statements: readonly string[]
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'accounts, units, entries, sync',
    statements: [
      `CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL,
        unit_codes TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        created_at TEXT NOT NULL
      )`,
      `CREATE INDEX sessions_user ON sessions (user_id)`,
      `CREATE TABLE login_failures (username TEXT NOT NULL, at TEXT NOT NULL)`,
      `CREATE INDEX login_failures_username ON login_failures (username, at)`,
      `CREATE TABLE units (
        code TEXT NOT NULL,
        valid_from TEXT NOT NULL,
        valid_to TEXT,
        name TEXT NOT NULL,
        name_en TEXT,
        kind TEXT NOT NULL,
        type TEXT NOT NULL,
        level TEXT NOT NULL,
        parent_code TEXT,
        PRIMARY KEY (code, valid_from)
      )`,
      `CREATE TABLE entries (
        unit_code TEXT NOT NULL,
        month TEXT NOT NULL,
        counts TEXT NOT NULL,
        note TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        field_meta TEXT NOT NULL,
        change_seq BIGINT NOT NULL,
        PRIMARY KEY (unit_code, month)
      )`,
      `CREATE UNIQUE INDEX entries_change_seq ON entries (change_seq)`,
      // A reporter's pull (one or a few units) finds its rows without scanning everyone's changes.
      `CREATE INDEX entries_unit_change_seq ON entries (unit_code, change_seq)`,
      `CREATE TABLE entry_history (
        unit_code TEXT NOT NULL,
        month TEXT NOT NULL,
        version INTEGER NOT NULL,
        counts TEXT NOT NULL,
        note TEXT NOT NULL,
        user_id TEXT NOT NULL,
        device_id TEXT NOT NULL,
        op_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (unit_code, month, version)
      )`,
      `CREATE TABLE conflicts (
        id TEXT PRIMARY KEY,
        unit_code TEXT NOT NULL,
        month TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT NOT NULL,
        current_value TEXT NOT NULL,
        author TEXT NOT NULL,
        authored_at TEXT NOT NULL,
        winner TEXT NOT NULL,
        created_at TEXT NOT NULL,
        resolved_at TEXT,
        resolved_by TEXT,
        change_seq BIGINT NOT NULL
      )`,
      `CREATE INDEX conflicts_open ON conflicts (unit_code, month) WHERE resolved_at IS NULL`,
      `CREATE TABLE ops (
        op_id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        user_id TEXT NOT NULL,
        result TEXT NOT NULL,
        applied_at TEXT NOT NULL
      )`,
      `CREATE TABLE devices (
        device_id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        last_seq BIGINT NOT NULL
      )`,
      `CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
      `INSERT INTO counters (name, value) VALUES ('change_seq', 0)`,
    ],
  },
  {
    version: 2,
    name: 'targets, entries.reported_at',
    statements: [
      // One row per target setting, keyed by targetKey(); the last write to arrive wins.
      `CREATE TABLE targets (
        key TEXT PRIMARY KEY,
        indicator TEXT NOT NULL,
        year INTEGER NOT NULL,
        unit_code TEXT,
        level TEXT,
        basis_points INTEGER NOT NULL,
        max_points DOUBLE PRECISION NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      )`,
      `CREATE INDEX targets_unit ON targets (unit_code)`,
      // When the unit first reported the month. Existing entries take the arrival of their first
      // version: the authored time of ops before this migration was not kept.
      `ALTER TABLE entries ADD COLUMN reported_at TEXT`,
      `UPDATE entries SET reported_at = (
        SELECT h.at FROM entry_history h
        WHERE h.unit_code = entries.unit_code AND h.month = entries.month AND h.version = 1
      )`,
    ],
  },
  {
    version: 3,
    name: 'unit links, reviews, audit log',
    statements: [
      // src/domain/unitLinks.ts; the key is linkKey(), so a re-import writes the same rows.
      `CREATE TABLE unit_links (
        new_code TEXT NOT NULL,
        old_code TEXT NOT NULL,
        kind TEXT NOT NULL,
        date TEXT NOT NULL,
        PRIMARY KEY (date, new_code, old_code)
      )`,
      `CREATE INDEX unit_links_old ON unit_links (old_code)`,
      `CREATE INDEX unit_links_new ON unit_links (new_code)`,
      // The current review of a month (no row: draft); src/domain/review.ts.
      `CREATE TABLE reviews (
        unit_code TEXT NOT NULL,
        month TEXT NOT NULL,
        state TEXT NOT NULL,
        comment TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (unit_code, month)
      )`,
      // Every transition, for the history view.
      `CREATE TABLE review_events (
        unit_code TEXT NOT NULL,
        month TEXT NOT NULL,
        action TEXT NOT NULL,
        comment TEXT NOT NULL,
        user_id TEXT NOT NULL,
        op_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (op_id)
      )`,
      `CREATE INDEX review_events_month ON review_events (unit_code, month, at)`,
      // Admin actions; `seq` orders them (newest first) independent of clock resolution.
      `CREATE TABLE audit_log (
        id TEXT PRIMARY KEY,
        seq BIGINT NOT NULL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        detail TEXT NOT NULL
      )`,
      `CREATE UNIQUE INDEX audit_log_seq ON audit_log (seq)`,
      `INSERT INTO counters (name, value) VALUES ('audit_seq', 0)`,
    ],
  },
]

/**
 * Applies the missing migrations inside the caller's transaction and returns their versions. The
 * caller makes the transaction exclusive first (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory
 * lock), so two instances starting at once apply each migration exactly once.
 */
export async function applyMigrations(
  tx: Sql,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  await tx.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
  const rows = await tx.all('SELECT version FROM schema_migrations')
  const done = new Set(rows.map((row) => int(row, 'version')))
  const applied: number[] = []
  for (const migration of migrations) {
    if (done.has(migration.version)) continue
    for (const statement of migration.statements) await tx.run(statement)
    await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
      migration.version,
      migration.name,
      new Date().toISOString(),
    ])
    applied.push(migration.version)
  }
  return applied
}
