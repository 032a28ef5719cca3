// Component tests switch the language synchronously (`locale.value = 'en'`) and mount on-demand
// screens without the router, while the app fetches those texts on demand: load them first.
import { loadCatalogue, loadScreenMessages } from '../../src/app/i18n/useI18n.ts'

await loadCatalogue('en')
await loadScreenMessages()
