/**
 * One simulated phone or office PC: a fake-indexeddb database of its own and the app's real db and
 * sync code, talking through the simulated network. Its user's actions (saves, syncs, handing the
 * device to a colleague) run as actors of the Stage, so fast-check interleaves them with the
 * network's hops. Everything the checks need to know about what the device did is written to the
 * shared `Journal`.
 */
import type { Counts } from '../../../src/domain/indicators.ts'
import type { Month } from '../../../src/domain/periods.ts'
import type { LoginResponse } from '../../../src/domain/sync/protocol.ts'
import { saveEntry } from '../../../src/app/db/entries.ts'
import { getInstallId } from '../../../src/app/db/meta.ts'
import { SohoaDb } from '../../../src/app/db/schema.ts'
import { getSession, signIn, signOut } from '../../../src/app/db/session.ts'
import { OfflineError } from '../../../src/app/sync/errors.ts'
import { syncPass } from '../../../src/app/sync/run.ts'
import { createTransport, type Transport } from '../../../src/app/sync/transport.ts'
import type { SimulatedNetwork, Stage } from './simulatedNetwork.ts'

export const UNITS = ['99019', '99022'] as const
export const MONTHS: readonly Month[] = ['2025-08', '2025-09']

export interface SaveAction {
  kind: 'save'
  /** Writes the other commune instead of the user's own: the server must refuse it. */
  foreign: boolean
  month: number
  /** Null: saves the form as it stands (the official only confirms the values shown). */
  counts: Counts | null
  note: string | null
  /** Settles the entry's open conflicts with these values, as the conflict screen does. */
  resolve: boolean
}

/** Hands the device to its next user; `whileOut` is saved while nobody is signed in. */
export interface SwitchAction {
  kind: 'switch'
  whileOut: SaveAction | null
}

export type Action = SaveAction | SwitchAction | { kind: 'sync' }

export interface DeviceSpec {
  name: string
  /** Usernames, in the order they take turns on the device. */
  users: readonly string[]
}

/** An op a device queued, as the checks know it. */
export interface CreatedOp {
  id: string
  seq: number
  device: string
  /** The user it is sent as: its author, or whoever signed in next and claimed it. */
  owner: LoginResponse['user'] | null
  unitCode: string
  month: Month
  counts: Counts
  note: string
}

/**
 * A synced entry's base and values at a moment its user could edit it (before an edit, when a pull
 * starts, after a pass): the base the next op would claim.
 */
export interface BaseSnapshot {
  device: string
  unitCode: string
  month: Month
  baseVersion: number
  counts: Counts
  note: string
  /** How many ops (of any device) the journal held then: the ones made before this edit. */
  opsBefore: number
}

export interface Journal {
  ops: CreatedOp[]
  /** Every baseVersion each op id was pushed with (a retry may carry a newer one). */
  sentBases: Map<string, Set<number | null>>
  snapshots: BaseSnapshot[]
  /** Errors of sync passes other than network failures: each is a finding. */
  passErrors: { device: string; error: unknown }[]
}

export class SimulatedDevice {
  readonly db: SohoaDb
  readonly transport: Transport
  installId = ''
  private turn = 0
  private passing = false

  constructor(
    readonly spec: DeviceSpec,
    private readonly stage: Stage,
    network: SimulatedNetwork,
    private readonly logins: ReadonlyMap<string, LoginResponse>,
    private readonly journal: Journal,
  ) {
    this.db = new SohoaDb(`sohoa-sim-${spec.name}-${crypto.randomUUID()}`)
    const inner = createTransport({
      fetch: network.fetchFor(spec.name),
      navigator: { onLine: true },
    })
    this.transport = {
      ...inner,
      push: (token, request) => {
        for (const op of request.ops) {
          if (op.kind !== 'entry.put') continue
          const bases = journal.sentBases.get(op.id) ?? new Set()
          bases.add(op.baseVersion)
          journal.sentBases.set(op.id, bases)
        }
        return inner.push(token, request)
      },
      // Between applying a push's answers and the pull that follows, the official may edit
      // again: the bases held then are the ones the push results alone produced.
      pull: async (token, cursor, limit) => {
        await this.recordBases()
        return inner.pull(token, cursor, limit)
      },
    }
  }

  get username(): string {
    return this.spec.users[this.turn % this.spec.users.length] ?? ''
  }

  async open(): Promise<void> {
    this.installId = await getInstallId(this.db)
    await this.signIn(this.username)
  }

  /** The user's actions in order, each after a hop, as an actor of the stage. */
  play(script: readonly Action[]): void {
    this.stage.spawn(async () => {
      for (const action of script) {
        await this.stage.hop(`${this.spec.name}: ${describe(action)}`)
        await this.perform(action)
      }
    })
  }

  private async perform(action: Action): Promise<void> {
    // Viewers never write: the app offers them no entry form.
    const viewer = this.logins.get(this.username)?.user.role === 'viewer'
    if (action.kind === 'sync' || viewer) return this.startPass()
    if (action.kind === 'save') return this.save(action, this.username)
    // A device with one user just syncs: nobody to hand it to.
    if (this.spec.users.length < 2) return this.startPass()
    await signOut(this.db)
    this.turn++
    if (action.whileOut !== null) await this.save(action.whileOut, this.username)
    await this.signIn(this.username)
  }

  /** A sync pass as the engine starts it: at most one at a time, not awaited by the user. */
  startPass(): void {
    if (this.passing) return
    this.passing = true
    this.stage.spawn(async () => {
      try {
        await this.syncOnce()
      } catch (error) {
        if (!(error instanceof OfflineError))
          this.journal.passErrors.push({ device: this.spec.name, error })
      } finally {
        // A pass cut off between its push and its pull leaves the push's bases untested by a
        // pull: exactly when a wrongly claimed base would survive until the next edit.
        await this.recordBases()
        this.passing = false
      }
    })
  }

  async syncOnce(): Promise<void> {
    const session = await getSession(this.db)
    if (session === null) return
    await syncPass({
      db: this.db,
      transport: this.transport,
      session,
      now: () => new Date(),
      onProgress: () => undefined,
    })
  }

  /** Records every synced entry's base, as the next edit of it would claim it. */
  async recordBases(): Promise<void> {
    for (const entry of await this.db.entries.where('state').equals('sent').toArray()) {
      if (entry.baseVersion === null) continue
      this.journal.snapshots.push({
        device: this.spec.name,
        unitCode: entry.unitCode,
        month: entry.month,
        baseVersion: entry.baseVersion,
        counts: entry.counts,
        note: entry.note,
        opsBefore: this.journal.ops.length,
      })
    }
  }

  /** Signs `username` in (after signing out whoever is), claiming the unowned ops. */
  async signIn(username: string): Promise<void> {
    const login = this.logins.get(username)
    if (login === undefined) throw new Error(`no account ${username}`)
    const index = this.spec.users.indexOf(username)
    if (index >= 0) this.turn = index
    await signOut(this.db)
    await signIn(this.db, login)
    for (const op of this.journal.ops) {
      if (op.device === this.spec.name && op.owner === null) op.owner = login.user
    }
  }

  /**
   * Saves like the entry form: the unit is the one of `forUser` (or the other one when `foreign`),
   * authored by whoever is signed in now, which is nobody during a hand-over.
   */
  private async save(action: SaveAction, forUser: string): Promise<void> {
    const own = this.logins.get(forUser)?.user.unitCodes[0] ?? UNITS[0]
    const unitCode = action.foreign ? (UNITS.find((code) => code !== own) ?? own) : own
    const month = MONTHS[action.month % MONTHS.length] ?? '2025-08'
    const before = await this.db.entries.get(`${unitCode}/${month}`)
    if (before !== undefined && before.state === 'sent' && before.baseVersion !== null) {
      this.journal.snapshots.push({
        device: this.spec.name,
        unitCode,
        month,
        baseVersion: before.baseVersion,
        counts: before.counts,
        note: before.note,
        opsBefore: this.journal.ops.length,
      })
    }
    // An empty form cannot be confirmed: received and digitized are required.
    if (action.counts === null && before === undefined) return
    const session = await getSession(this.db)
    const user = session?.user ?? null
    const resolves = action.resolve ? (before?.conflicts ?? []).map((conflict) => conflict.id) : []
    await saveEntry(
      this.db,
      {
        unitCode,
        month,
        counts: action.counts ?? before?.counts ?? {},
        note: action.note ?? before?.note ?? '',
        resolves,
      },
      { deviceId: this.installId, userId: user?.id ?? null, username: user?.username ?? null },
    )
    const op = await this.db.outbox.toCollection().last()
    if (op?.seq === undefined || op.kind !== 'entry.put') throw new Error('saveEntry queued no op')
    this.journal.ops.push({
      id: op.id,
      seq: op.seq,
      device: this.spec.name,
      owner: user,
      unitCode,
      month,
      counts: op.counts,
      note: op.note,
    })
  }

  async destroy(): Promise<void> {
    await this.db.delete()
  }
}

function describe(action: Action): string {
  if (action.kind === 'sync') return 'sync'
  if (action.kind === 'switch')
    return `hand over${action.whileOut ? ' (saves while signed out)' : ''}`
  const what = `${action.foreign ? 'other commune ' : ''}${MONTHS[action.month % MONTHS.length]}`
  const values = action.counts === null ? 'as shown' : JSON.stringify(action.counts)
  return `save ${what} ${values}${action.note ? ` "${action.note}"` : ''}${action.resolve ? ' resolving' : ''}`
}
