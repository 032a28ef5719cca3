/**
 * Account management for admins. These shapes are server-only for now; if the app gains an admin
 * screen they move to src/domain/sync/ next to the rest of the wire contract.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { RoleSchema, SessionUserSchema, UnitCodeSchema } from '../../domain/sync/protocol.ts'
import {
  AccountError,
  createAccount,
  resetPassword,
  toAdminUser,
  updateAccount,
} from '../auth/accounts.ts'
import type { Authenticator } from '../auth/authenticate.ts'
import { MAX_PASSWORD_LENGTH } from '../auth/password.ts'
import type { UnitCache } from '../auth/unitCache.ts'
import type { Store } from '../store/store.ts'
import { HttpProblem } from './problems.ts'

const AdminUserSchema = Type.Object({
  ...SessionUserSchema.properties,
  active: Type.Boolean(),
  createdAt: Type.String(),
})

const UnitCodesSchema = Type.Array(UnitCodeSchema, { maxItems: 1000 })
const DisplayNameSchema = Type.String({ minLength: 1, maxLength: 100 })
const PasswordSchema = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH })

export const CreateUserSchema = Type.Object(
  {
    // Case is folded before the pattern applies, so "XaAnPhu" is accepted as "xaanphu".
    username: Type.String({ minLength: 3, maxLength: 50 }),
    displayName: Type.Optional(DisplayNameSchema),
    role: RoleSchema,
    unitCodes: UnitCodesSchema,
    password: PasswordSchema,
  },
  { additionalProperties: false },
)

export const UpdateUserSchema = Type.Object(
  {
    displayName: Type.Optional(DisplayNameSchema),
    role: Type.Optional(RoleSchema),
    unitCodes: Type.Optional(UnitCodesSchema),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const PasswordResetSchema = Type.Object(
  { password: PasswordSchema },
  { additionalProperties: false },
)
const UserParamsSchema = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) })

export interface UserRouteOptions {
  store: Store
  auth: Authenticator
  units: UnitCache
}

function accountProblem(error: AccountError): HttpProblem {
  switch (error.kind) {
    case 'invalid':
      return new HttpProblem(400, 'badRequest', error.message)
    case 'exists':
      return new HttpProblem(409, 'badRequest', error.message, { title: 'Conflict' })
    case 'notFound':
      return new HttpProblem(404, 'notFound', error.message)
  }
}

/** Runs an account operation, answering its refusals as problems. */
async function answering<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (error) {
    throw error instanceof AccountError ? accountProblem(error) : error
  }
}

/** Admin-only account management: /api/users and /api/users/:id(/password). */
export const userRoutes: FastifyPluginAsyncTypebox<UserRouteOptions> = async (app, options) => {
  const { store, auth, units } = options
  const adminOnly = { roles: ['admin'] } as const

  app.get(
    '/api/users',
    { schema: { response: { 200: Type.Object({ users: Type.Array(AdminUserSchema) }) } } },
    async (request, reply) => {
      await auth.require(request, adminOnly)
      reply.header('cache-control', 'no-store')
      return { users: (await store.listUsers()).map(toAdminUser) }
    },
  )

  app.post(
    '/api/users',
    { schema: { body: CreateUserSchema, response: { 201: AdminUserSchema } } },
    async (request, reply) => {
      const { user: actor } = await auth.require(request, adminOnly)
      const user = await answering(createAccount(store, await units.tree(), request.body))
      await store.audit({
        actor: actor.username,
        action: 'user.create',
        target: user.username,
        detail: JSON.stringify({ role: user.role, unitCodes: user.unitCodes }),
      })
      return reply.code(201).send(toAdminUser(user))
    },
  )

  app.patch(
    '/api/users/:id',
    {
      schema: {
        params: UserParamsSchema,
        body: UpdateUserSchema,
        response: { 200: AdminUserSchema },
      },
    },
    async (request) => {
      const { user: actor } = await auth.require(request, adminOnly)
      const tree = await units.tree()
      const user = await answering(
        updateAccount(store, tree, request.params.id, request.body, actor.id),
      )
      // The changed fields only; a deactivation is its own action so it stands out in the log.
      await store.audit({
        actor: actor.username,
        action: request.body.active === false ? 'user.deactivate' : 'user.update',
        target: user.username,
        detail: JSON.stringify(request.body),
      })
      return toAdminUser(user)
    },
  )

  app.post(
    '/api/users/:id/password',
    { schema: { params: UserParamsSchema, body: PasswordResetSchema } },
    async (request, reply) => {
      const { user: actor } = await auth.require(request, adminOnly)
      const user = await answering(resetPassword(store, request.params.id, request.body.password))
      await store.audit({
        actor: actor.username,
        action: 'user.password',
        target: user.username,
        detail: '{}',
      })
      return reply.code(204).send()
    },
  )
}
