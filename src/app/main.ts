import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router.ts'
import { usePreferencesStore } from './stores/preferences.ts'
import { useUnitStore } from './stores/unit.ts'
import { useInstallStore } from './stores/install.ts'
import './styles.css'

const app = createApp(App).use(createPinia()).use(router)
useInstallStore()
// Preferences come from IndexedDB; mounting waits for them so the first paint is in the right language.
await Promise.all([usePreferencesStore().load(), useUnitStore().load()]).catch(() => undefined)
app.mount('#app')
