/**
 * Server entry: reads the environment, opens and migrates the store, seeds it (first admin, demo),
 * listens, and shuts down cleanly on SIGTERM/SIGINT. Everything else lives in app.ts.
 */
import { buildApp } from './app.ts'
import { ConfigError, readConfig, type ServerConfig } from './config.ts'
import { DEMO_PASSWORD, ensureFirstAdmin, loadDemo } from './seed.ts'
import { openStore } from './store/open.ts'

/** Grace period for in-flight requests before a forced exit. */
const SHUTDOWN_TIMEOUT_MS = 10_000

function configOrExit(): ServerConfig {
  try {
    return readConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`SoHoa: ${error.message}`)
    process.exit(2)
  }
}

const config = configOrExit()
const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
await store.migrate()

if (config.demo) {
  const loaded = await loadDemo(store, { adminPassword: config.adminPassword })
  const names = loaded.accounts.join(', ')
  console.log(
    `SoHoa demo: ${loaded.units} units, ${loaded.entries} entries; accounts ${names} ` +
      `(password "${DEMO_PASSWORD}"${config.adminPassword ? ', admin: SOHOA_ADMIN_PASSWORD' : ''}). ` +
      `Demo data only: never use SOHOA_DEMO=1 with real data.`,
  )
}

const firstAdmin = await ensureFirstAdmin(store, config.adminPassword)
if (firstAdmin?.generated) {
  // Printed once, on stdout only: this database will never show it again.
  console.log(
    [
      '',
      '================================================================',
      '  SoHoa: first admin account created',
      `    username: ${firstAdmin.username}`,
      `    password: ${firstAdmin.password}`,
      '  Write it down now: it is not stored and will not be shown again.',
      '  (Reset it with: npx tsx src/server/cli.ts reset-password --username admin)',
      '================================================================',
      '',
    ].join('\n'),
  )
} else if (firstAdmin) {
  console.log(`SoHoa: first admin "${firstAdmin.username}" created with SOHOA_ADMIN_PASSWORD.`)
}

const app = await buildApp({
  store,
  staticDir: config.staticDir,
  logger: true,
  logLevel: config.logLevel,
  login: { sessionDays: config.sessionDays },
  trustProxy: config.trustProxy,
})
await app.listen({ port: config.port, host: config.host })
const address = app.server.address()
const boundPort = typeof address === 'object' && address ? address.port : config.port
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
console.log(
  `SoHoa listening on http://${shownHost}:${boundPort} (serving ${config.staticDir}, ` +
    `${store.kind === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`})`,
)

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  console.log(`SoHoa: ${signal} received, closing`)
  setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref()
  // The app first (ends SSE streams, waits for in-flight requests), then the store they use.
  await app.close()
  await store.close()
  process.exit(0)
}
process.once('SIGTERM', () => void shutdown('SIGTERM'))
process.once('SIGINT', () => void shutdown('SIGINT'))
