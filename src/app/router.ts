import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { isMonth } from '../domain/periods.ts'
import { ROUTES } from './constants.ts'
import HomePage from './pages/HomePage.vue'

/** Home ships in the first bundle; the other screens load on demand and are precached for offline. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: ROUTES.home, component: HomePage },
    { path: '/units', name: ROUTES.units, component: () => import('./pages/UnitsPage.vue') },
    {
      path: '/entry/:unitCode/:month',
      name: ROUTES.entry,
      component: () => import('./pages/EntryPage.vue'),
      props: (route: RouteLocationNormalized) => ({
        unitCode: route.params.unitCode,
        month: route.params.month,
      }),
      beforeEnter: (to) => (isMonth(String(to.params.month)) ? true : { name: ROUTES.home }),
    },
    {
      path: '/settings',
      name: ROUTES.settings,
      component: () => import('./pages/SettingsPage.vue'),
    },
    { path: '/login', name: ROUTES.login, component: () => import('./pages/LoginPage.vue') },
    { path: '/:pathMatch(.*)*', redirect: { name: ROUTES.home } },
  ],
  scrollBehavior: () => ({ top: 0 }),
})
