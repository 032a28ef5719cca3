import { defineStore } from 'pinia'
import { useInstallPrompt } from '../pwa/install.ts'

/**
 * One app-wide install prompt. `beforeinstallprompt` fires once, early, often before the screen that
 * shows the install button exists, so it is captured here at start-up rather than in the button.
 */
export const useInstallStore = defineStore('install', () => useInstallPrompt())
