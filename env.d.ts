/// <reference types="vite/client" />

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

/** Build identifier baked in by vite.config.ts; changes with every build so updates are detectable. */
declare const __APP_VERSION__: string
declare const __BUILD_ID__: string
