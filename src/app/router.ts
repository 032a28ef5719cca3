import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { isMonth } from '../domain/periods.ts'
import { ROUTES } from './constants.ts'
import { loadScreenMessages } from './i18n/useI18n.ts'
import HomePage from './pages/HomePage.vue'

/** A lazily loaded screen whose Vietnamese texts load alongside its code, not with the first screen. */
async function withScreenMessages<T>(page: Promise<T>): Promise<T> {
  const [module] = await Promise.all([page, loadScreenMessages()])
  return module
}

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
    {
      path: '/targets',
      name: ROUTES.targets,
      component: () => withScreenMessages(import('./pages/TargetsPage.vue')),
    },
    {
      // Charts and roll-ups load with this screen only, never with the first one.
      path: '/dashboard',
      name: ROUTES.dashboard,
      component: () => withScreenMessages(import('./pages/DashboardPage.vue')),
    },
    {
      path: '/report',
      name: ROUTES.report,
      component: () => withScreenMessages(import('./pages/ReportPage.vue')),
    },
    {
      path: '/review',
      name: ROUTES.review,
      component: () => withScreenMessages(import('./pages/ReviewPage.vue')),
    },
    {
      path: '/admin',
      name: ROUTES.admin,
      component: () => withScreenMessages(import('./pages/AdminPage.vue')),
    },
    { path: '/:pathMatch(.*)*', redirect: { name: ROUTES.home } },
  ],
  // A new screen starts at the top; a query change on the same screen (the dashboard's period)
  // stays where it is, and skips a forced layout.
  scrollBehavior: (to, from) => (to.path === from.path ? false : { top: 0 }),
})
