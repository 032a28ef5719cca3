/**
 * The server's settings, read once from the environment. Pure (takes the env as an argument) so it
 * is tested without touching `process.env`; a wrong value stops the start with a clear message
 * instead of a server that half works.
 */
import { resolve } from 'node:path'
import type { FastifyServerOptions } from 'fastify'

export interface ServerConfig {
  port: number
  host: string
  /** Where the SQLite file lives when DATABASE_URL is not set. */
  dataDir: string
  /** postgres://… switches the store to PostgreSQL. */
  databaseUrl?: string
  staticDir: string
  sessionDays: number
  /** The first admin's password; generated and printed once when unset. */
  adminPassword?: string
  /** SOHOA_DEMO=1: load the demo province and its accounts at start. */
  demo: boolean
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
  trustProxy: FastifyServerOptions['trustProxy']
}

export type Env = Readonly<Record<string, string | undefined>>

/** A setting with an unusable value; the message names the variable. */
export class ConfigError extends Error {}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, not "${raw}".`)
  }
  return value
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const

function logLevel(env: Env): ServerConfig['logLevel'] {
  const raw = env.LOG_LEVEL?.trim() || 'info'
  const level = LOG_LEVELS.find((candidate) => candidate === raw)
  if (!level) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}.`)
  return level
}

/**
 * SOHOA_TRUST_PROXY: unset (direct connections), a hop count ("1" behind one proxy), "true", or a
 * comma-separated list of proxy addresses/CIDRs. Without it, behind a proxy every official would
 * share the proxy's IP and the per-IP login limit would lock a whole province out.
 */
function trustProxy(env: Env): ServerConfig['trustProxy'] {
  const raw = env.SOHOA_TRUST_PROXY?.trim()
  if (!raw || raw === 'false' || raw === '0') return false
  if (raw === 'true') return true
  if (/^\d+$/.test(raw)) {
    // Trust the nearest `hops` proxies: the client IP is the address the farthest of them saw.
    const hops = Number(raw)
    return (_address: string, hop: number) => hop < hops
  }
  return raw
}

function flag(env: Env, name: string): boolean {
  return ['1', 'true', 'yes'].includes(env[name]?.trim().toLowerCase() ?? '')
}

/** Reads and checks every setting; throws ConfigError on a bad value. */
export function readConfig(env: Env, cwd = process.cwd()): ServerConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || undefined
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://.')
  }
  const adminPassword = env.SOHOA_ADMIN_PASSWORD || undefined
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: resolve(cwd, env.DATA_DIR?.trim() || 'data'),
    ...(databaseUrl ? { databaseUrl } : {}),
    staticDir: resolve(cwd, env.SOHOA_STATIC_DIR?.trim() || 'dist'),
    sessionDays: integer(env, 'SOHOA_SESSION_DAYS', 30, 1, 365),
    ...(adminPassword ? { adminPassword } : {}),
    demo: flag(env, 'SOHOA_DEMO'),
    logLevel: logLevel(env),
    trustProxy: trustProxy(env),
  }
}
