/**
 * The sync wire contract, declared once: the server's routes validate against these schemas and the
 * client's transport is typed by them. docs/sync.md explains the protocol in prose; versions,
 * headers and limits are in constants.ts.
 */
import { Type, type Static } from 'typebox'
import { MAX_PULL_LIMIT, MAX_PUSH_OPS } from './constants.ts'
import { MAX_COUNT } from '../format.ts'
import { MAX_BASIS_POINTS, MAX_TARGET_POINTS } from '../targets.ts'
import { REVIEW_COMMENT_MAX_LENGTH } from '../review.ts'

// Plain values live apart from the schemas, so the app can use them without shipping TypeBox.
export {
  PROTOCOL_VERSION,
  MIN_PROTOCOL_VERSION,
  SCHEMA_VERSION,
  HEADER_PROTOCOL,
  HEADER_SCHEMA,
  MAX_PUSH_OPS,
  MAX_PULL_LIMIT,
  DEFAULT_PULL_LIMIT,
  PROBLEM_TYPES,
} from './constants.ts'

export const MonthSchema = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })
export const UnitCodeSchema = Type.String({ pattern: '^\\d{2,5}(-[A-Z0-9]{2,12})?$' })
const Count = Type.Integer({ minimum: 0, maximum: MAX_COUNT })
/**
 * A device's op counter. Bounded so it stays an exact JavaScript number and fits the BIGINT it is
 * stored in; a device would need a billion ops a second for centuries to reach it.
 */
const Seq = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })
/** Entry versions are PostgreSQL INTEGERs: a larger base version could only be forged. */
export const MAX_VERSION = 2_147_483_647
const IsoTime = Type.String({ minLength: 20, maxLength: 40 })
const Uuid = Type.String({ pattern: '^[0-9a-fA-F-]{36}$' })
export const DeviceIdSchema = Type.String({ pattern: '^[A-Za-z0-9_:-]{8,100}$' })

/** Counts as sent on the wire; every element optional (not reported), no other keys. */
export const CountsSchema = Type.Object(
  {
    received: Type.Optional(Count),
    digitized: Type.Optional(Count),
    resolved: Type.Optional(Count),
    eResults: Type.Optional(Count),
    reused: Type.Optional(Count),
    online: Type.Optional(Count),
  },
  { additionalProperties: false },
)

export const NOTE_MAX_LENGTH = 500

// ---- auth -------------------------------------------------------------------------------------

export const RoleSchema = Type.Union([
  Type.Literal('reporter'),
  Type.Literal('viewer'),
  Type.Literal('admin'),
])
export type Role = Static<typeof RoleSchema>

export const LoginRequestSchema = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
)
export type LoginRequest = Static<typeof LoginRequestSchema>

export const SessionUserSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  /** Reporter: the units it writes. Viewer: the roots of the subtrees it reads. Admin: empty. */
  unitCodes: Type.Array(Type.String()),
})
export type SessionUser = Static<typeof SessionUserSchema>

export const LoginResponseSchema = Type.Object({
  token: Type.String(),
  expiresAt: IsoTime,
  user: SessionUserSchema,
})
export type LoginResponse = Static<typeof LoginResponseSchema>

// ---- push -------------------------------------------------------------------------------------

export const EntryPutOpSchema = Type.Object(
  {
    /** Unique per op; the server's idempotency key. */
    id: Uuid,
    /** Per-device order; strictly increasing within one device's stream. */
    seq: Seq,
    kind: Type.Literal('entry.put'),
    unitCode: UnitCodeSchema,
    month: MonthSchema,
    counts: CountsSchema,
    note: Type.String({ maxLength: NOTE_MAX_LENGTH }),
    /** Server version the edit was based on; null if the device never had this entry from the server. */
    baseVersion: Type.Union([Type.Integer({ minimum: 1, maximum: MAX_VERSION }), Type.Null()]),
    /** Open conflicts on this entry the author has seen and settles with these values. */
    resolves: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
    createdAt: IsoTime,
  },
  { additionalProperties: false },
)
export type EntryPutOp = Static<typeof EntryPutOpSchema>

export const IndicatorIdSchema = Type.Union([
  Type.Literal('digitization'),
  Type.Literal('online'),
  Type.Literal('reuse'),
  Type.Literal('eResults'),
])
export const GovernmentLevelSchema = Type.Union([
  Type.Literal('province'),
  Type.Literal('district'),
  Type.Literal('commune'),
])
const TargetYear = Type.Integer({ minimum: 2000, maximum: 2100 })
const BasisPoints = Type.Integer({ minimum: 0, maximum: MAX_BASIS_POINTS })
const TargetPoints = Type.Number({ exclusiveMinimum: 0, maximum: MAX_TARGET_POINTS })

/** Sets one target (src/domain/targets.ts); the latest to arrive wins. */
export const TargetPutOpSchema = Type.Object(
  {
    id: Uuid,
    seq: Seq,
    kind: Type.Literal('target.put'),
    indicator: IndicatorIdSchema,
    year: TargetYear,
    /** The unit the target is set on; null: nationwide (admin only). */
    unitCode: Type.Union([UnitCodeSchema, Type.Null()]),
    /** A default for units of this level under `unitCode`; null: an override on the unit itself. */
    level: Type.Union([GovernmentLevelSchema, Type.Null()]),
    basisPoints: BasisPoints,
    maxPoints: TargetPoints,
    createdAt: IsoTime,
  },
  { additionalProperties: false },
)
export type TargetPutOp = Static<typeof TargetPutOpSchema>

export const ReviewActionSchema = Type.Union([
  Type.Literal('submit'),
  Type.Literal('return'),
  Type.Literal('accept'),
  Type.Literal('reopen'),
])

/** A review transition on one unit's month (src/domain/review.ts). */
export const ReviewOpSchema = Type.Object(
  {
    id: Uuid,
    seq: Seq,
    kind: Type.Literal('review'),
    action: ReviewActionSchema,
    unitCode: UnitCodeSchema,
    month: MonthSchema,
    /** Required (non-blank) for return and reopen. */
    comment: Type.String({ maxLength: REVIEW_COMMENT_MAX_LENGTH }),
    createdAt: IsoTime,
  },
  { additionalProperties: false },
)
export type ReviewOp = Static<typeof ReviewOpSchema>

export const OpSchema = Type.Union([EntryPutOpSchema, TargetPutOpSchema, ReviewOpSchema])
export type Op = EntryPutOp | TargetPutOp | ReviewOp

export const PushRequestSchema = Type.Object(
  {
    deviceId: DeviceIdSchema,
    ops: Type.Array(OpSchema, { minItems: 1, maxItems: MAX_PUSH_OPS }),
  },
  { additionalProperties: false },
)
export type PushRequest = Static<typeof PushRequestSchema>

/** Why the server refused an op. The op is still acknowledged: a refusal never blocks the queue. */
export const RejectReasonSchema = Type.Union([
  Type.Literal('forbidden'),
  Type.Literal('unknownUnit'),
  Type.Literal('unitNotActive'),
  Type.Literal('futureMonth'),
  Type.Literal('invalid'),
  Type.Literal('locked'),
  /** A review transition not allowed from the month's current state. */
  Type.Literal('wrongState'),
])
export type RejectReason = Static<typeof RejectReasonSchema>

export const ConflictSchema = Type.Object({
  id: Type.String(),
  unitCode: Type.String(),
  month: MonthSchema,
  /** A data element, or `note`. */
  field: Type.String(),
  /** The value that lost: kept here until someone resolves the conflict. */
  value: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  /** The value that won and is current. */
  currentValue: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  /** Who wrote the losing value, and when. */
  author: Type.String(),
  authoredAt: IsoTime,
  /** Who wrote the winning value. */
  winner: Type.String(),
  createdAt: IsoTime,
})
export type Conflict = Static<typeof ConflictSchema>

export const OpResultSchema = Type.Union([
  Type.Object({
    id: Uuid,
    seq: Type.Integer(),
    status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate')]),
    version: Type.Integer(),
  }),
  Type.Object({
    id: Uuid,
    seq: Type.Integer(),
    status: Type.Literal('conflict'),
    version: Type.Integer(),
    conflicts: Type.Array(ConflictSchema),
  }),
  Type.Object({
    id: Uuid,
    seq: Type.Integer(),
    status: Type.Literal('rejected'),
    reason: RejectReasonSchema,
    detail: Type.String(),
  }),
])
export type OpResult = Static<typeof OpResultSchema>

export const PushResponseSchema = Type.Object({
  results: Type.Array(OpResultSchema),
  /** Highest seq of this device the server has acknowledged (applied, duplicate, conflict or rejected). */
  ackSeq: Type.Integer({ minimum: 0 }),
})
export type PushResponse = Static<typeof PushResponseSchema>

// ---- pull -------------------------------------------------------------------------------------

export const PullQuerySchema = Type.Object(
  {
    /** Opaque to clients: the `cursor` of the previous page, or "0" to start. */
    cursor: Type.String({ pattern: '^\\d{1,18}$' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PULL_LIMIT })),
  },
  { additionalProperties: false },
)
export type PullQuery = Static<typeof PullQuerySchema>

/** The review of an entry's month, as it rides on the entry's change. */
export const ReviewSchema = Type.Object({
  state: Type.Union([
    Type.Literal('submitted'),
    Type.Literal('returned'),
    Type.Literal('accepted'),
  ]),
  comment: Type.String(),
  updatedBy: Type.String(),
  updatedAt: IsoTime,
})
export type ReviewWire = Static<typeof ReviewSchema>

export const EntryChangeSchema = Type.Object({
  unitCode: Type.String(),
  month: MonthSchema,
  counts: CountsSchema,
  note: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  updatedAt: IsoTime,
  updatedBy: Type.String(),
  /** Open conflicts on this entry; empty when there are none. */
  conflicts: Type.Array(ConflictSchema),
  /**
   * When the unit first reported this month (the authored time of the op that created the entry);
   * null when unknown. Absent from servers before protocol 2.
   */
  reportedAt: Type.Optional(Type.Union([IsoTime, Type.Null()])),
  /** The month's review; null: never submitted (draft). Absent from servers before protocol 3. */
  review: Type.Optional(Type.Union([ReviewSchema, Type.Null()])),
})
export type EntryChange = Static<typeof EntryChangeSchema>

export const PullResponseSchema = Type.Object({
  changes: Type.Array(EntryChangeSchema),
  cursor: Type.String(),
  /** More changes wait after `cursor`: pull again at once. */
  more: Type.Boolean(),
  /** Roughly how many changes are left after this page, for progress bars. */
  remaining: Type.Integer({ minimum: 0 }),
})
export type PullResponse = Static<typeof PullResponseSchema>

// ---- targets ----------------------------------------------------------------------------------

export const TargetSchema = Type.Object({
  indicator: IndicatorIdSchema,
  year: TargetYear,
  unitCode: Type.Union([Type.String(), Type.Null()]),
  level: Type.Union([GovernmentLevelSchema, Type.Null()]),
  basisPoints: BasisPoints,
  maxPoints: TargetPoints,
  updatedAt: IsoTime,
  updatedBy: Type.String(),
})

/** GET /api/sync/targets: every target the user may read (see docs/sync.md). */
export const TargetsResponseSchema = Type.Object({ targets: Type.Array(TargetSchema) })
export type TargetsResponse = Static<typeof TargetsResponseSchema>

// ---- units ------------------------------------------------------------------------------------

export const UnitSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Optional(Type.String()),
  kind: Type.Union([
    Type.Literal('province'),
    Type.Literal('district'),
    Type.Literal('commune'),
    Type.Literal('office'),
  ]),
  type: Type.String(),
  level: Type.Union([Type.Literal('province'), Type.Literal('district'), Type.Literal('commune')]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  validFrom: Type.String(),
  validTo: Type.Union([Type.String(), Type.Null()]),
})

/** src/domain/unitLinks.ts: `newCode` was formed (wholly or partly) from `oldCode` on `date`. */
export const UnitLinkSchema = Type.Object({
  newCode: Type.String(),
  oldCode: Type.String(),
  kind: Type.Union([Type.Literal('full'), Type.Literal('partial')]),
  date: Type.String(),
})
export type UnitLinkWire = Static<typeof UnitLinkSchema>

/** GET /api/units: the units the user may see, and the links whose newCode or oldCode it may see. */
export const UnitsResponseSchema = Type.Object({
  units: Type.Array(UnitSchema),
  links: Type.Array(UnitLinkSchema),
})
export type UnitsResponse = Static<typeof UnitsResponseSchema>

// ---- history ----------------------------------------------------------------------------------

const HistoryValue = Type.Union([Type.Number(), Type.String(), Type.Null()])

export const HistoryEventSchema = Type.Union([
  Type.Object({
    type: Type.Literal('edit'),
    at: Type.String(),
    /** Username. */
    by: Type.String(),
    deviceId: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    changes: Type.Array(
      Type.Object({ field: Type.String(), from: HistoryValue, to: HistoryValue }),
    ),
  }),
  Type.Object({
    type: Type.Literal('conflict'),
    at: Type.String(),
    by: Type.String(),
    field: Type.String(),
    value: HistoryValue,
    currentValue: HistoryValue,
    winner: Type.String(),
  }),
  Type.Object({
    type: Type.Literal('resolved'),
    at: Type.String(),
    by: Type.String(),
    field: Type.String(),
  }),
  Type.Object({
    type: Type.Literal('review'),
    at: Type.String(),
    by: Type.String(),
    action: ReviewActionSchema,
    comment: Type.String(),
  }),
])
export type HistoryEvent = Static<typeof HistoryEventSchema>

/** GET /api/history/:unitCode/:month (read scope required): oldest first. */
export const HistoryResponseSchema = Type.Object({ events: Type.Array(HistoryEventSchema) })
export type HistoryResponse = Static<typeof HistoryResponseSchema>

// ---- admin ------------------------------------------------------------------------------------

export const AuditEventSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  /** Username of the admin who acted. */
  actor: Type.String(),
  /** e.g. `user.create`, `user.update`, `user.password`, `user.deactivate`, `units.import`. */
  action: Type.String(),
  /** What was acted on: a username, a file name. */
  target: Type.String(),
  /** JSON text with the particulars (changed fields, import counts); never a password. */
  detail: Type.String(),
})
export type AuditEvent = Static<typeof AuditEventSchema>

export const AUDIT_DEFAULT_LIMIT = 100
export const AUDIT_MAX_LIMIT = 1000

/** GET /api/admin/audit?limit=100 (admin only): newest first. */
export const AuditQuerySchema = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_MAX_LIMIT })) },
  { additionalProperties: false },
)
export const AuditResponseSchema = Type.Object({ events: Type.Array(AuditEventSchema) })
export type AuditResponse = Static<typeof AuditResponseSchema>

export const ImportFormatSchema = Type.Union([
  Type.Literal('stats'),
  Type.Literal('units-old'),
  Type.Literal('units-new'),
  Type.Literal('merges'),
])
export type ImportFormat = Static<typeof ImportFormatSchema>

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

/** Largest import body accepted by POST /api/admin/units/import (that route only). */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024

/** POST /api/admin/units/import (admin only); docs/admin.md describes the formats. */
export const ImportRequestSchema = Type.Object(
  {
    format: ImportFormatSchema,
    fileName: Type.String({ minLength: 1, maxLength: 200 }),
    content: Type.String(),
    /** base64 for .xlsx files. */
    encoding: Type.Union([Type.Literal('text'), Type.Literal('base64')]),
    /** Required for `stats`; units-old defaults to 2020-01-01, units-new and merges to 2025-07-01. */
    effectiveDate: Type.Optional(IsoDate),
    /** Validate and count, write nothing. */
    dryRun: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type ImportRequest = Static<typeof ImportRequestSchema>

const LevelCounts = Type.Object({
  province: Type.Integer({ minimum: 0 }),
  district: Type.Integer({ minimum: 0 }),
  commune: Type.Integer({ minimum: 0 }),
})

export const ImportResultSchema = Type.Object({
  format: ImportFormatSchema,
  effectiveDate: Type.String(),
  dryRun: Type.Boolean(),
  units: Type.Object({
    added: Type.Integer({ minimum: 0 }),
    closed: Type.Integer({ minimum: 0 }),
    unchanged: Type.Integer({ minimum: 0 }),
  }),
  links: Type.Object({
    added: Type.Integer({ minimum: 0 }),
    unchanged: Type.Integer({ minimum: 0 }),
  }),
  /** Active units (not offices) the day before effectiveDate and on it, after the import. */
  active: Type.Object({ before: LevelCounts, after: LevelCounts }),
})
export type ImportResult = Static<typeof ImportResultSchema>

// ---- errors -----------------------------------------------------------------------------------

/** RFC 9457 problem details; `type` is one of PROBLEM_TYPES. */
export const ProblemSchema = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
})
export type Problem = Static<typeof ProblemSchema>
