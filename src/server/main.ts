/** Server entry: reads the environment, listens, and shuts down cleanly on SIGTERM/SIGINT. */
import { resolve } from 'node:path'
import { buildApp } from './app.ts'

const port = Number(process.env.PORT ?? 8080)
const host = process.env.HOST ?? '0.0.0.0'
const staticDir = resolve(process.env.SOHOA_STATIC_DIR ?? 'dist')
/** Grace period for in-flight requests before a forced exit. */
const SHUTDOWN_TIMEOUT_MS = 10_000

const app = await buildApp({ staticDir, logger: true })
await app.listen({ port, host })
const address = app.server.address()
const boundPort = typeof address === 'object' && address ? address.port : port
const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host
console.log(`SoHoa listening on http://${shownHost}:${boundPort} (serving ${staticDir})`)

let closing = false
async function shutdown(signal: string): Promise<void> {
  if (closing) return
  closing = true
  console.log(`SoHoa: ${signal} received, closing`)
  setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref()
  await app.close()
  process.exit(0)
}
process.once('SIGTERM', () => void shutdown('SIGTERM'))
process.once('SIGINT', () => void shutdown('SIGINT'))
