import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { registerPwa } from './pwa/register.ts'
import { router } from './router.ts'
import { usePreferencesStore } from './stores/preferences.ts'
import { useUnitStore } from './stores/unit.ts'
import { useInstallStore } from './stores/install.ts'
import { useSessionStore } from './stores/session.ts'
import { useRecoveryStore } from './stores/recovery.ts'
import { useSyncStore } from './stores/sync.ts'
import './styles.css'

const app = createApp(App).use(createPinia()).use(router)
// Captured before any screen exists: the browser offers installation once, early.
useInstallStore()
// Mount at once and fill in from IndexedDB as it answers: opening the database costs more than the
// first paint on a slow phone, and every screen already shows a loading state until its data arrives.
app.mount('#app')
void usePreferencesStore().load()
void useUnitStore().load()
void useSessionStore().load()
// Reads what the last run left in localStorage, then keeps it current (src/app/db/ledger.ts).
void useRecoveryStore().start()
// The engine and the protocol code load as their own chunk once the first screen is up.
void useSyncStore().start({
  checkForUpdate: () => registerPwa().checkForUpdate(),
})
