import { createRouter, createWebHistory, type RouteLocationNormalized } from 'vue-router'
import { isMonth } from '../domain/periods.ts'
import { ROUTES } from './constants.ts'
import { withScreenMessages, type MessageKey } from './i18n/useI18n.ts'
import HomePage from './pages/HomePage.vue'

declare module 'vue-router' {
  interface RouteMeta {
    /** The screen's name for the document title; `{month}` is filled from the route's month. */
    title?: MessageKey
  }
}

/** Home ships in the first bundle; the other screens load on demand and are precached for offline. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', name: ROUTES.home, component: HomePage, meta: { title: 'home.title' } },
    {
      path: '/units',
      name: ROUTES.units,
      component: () => import('./pages/UnitsPage.vue'),
      meta: { title: 'units.title' },
    },
    {
      path: '/entry/:unitCode/:month',
      name: ROUTES.entry,
      component: () => import('./pages/EntryPage.vue'),
      meta: { title: 'entry.title' },
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
      meta: { title: 'settings.title' },
    },
    {
      path: '/login',
      name: ROUTES.login,
      component: () => import('./pages/LoginPage.vue'),
      meta: { title: 'login.title' },
    },
    {
      path: '/targets',
      name: ROUTES.targets,
      component: () => withScreenMessages(import('./pages/TargetsPage.vue')),
      meta: { title: 'targets.title' },
    },
    {
      // Charts and roll-ups load with this screen only, never with the first one.
      path: '/dashboard',
      name: ROUTES.dashboard,
      component: () => withScreenMessages(import('./pages/DashboardPage.vue')),
      meta: { title: 'dashboard.title' },
    },
    {
      path: '/report',
      name: ROUTES.report,
      component: () => withScreenMessages(import('./pages/ReportPage.vue')),
      meta: { title: 'report.title' },
    },
    {
      path: '/review',
      name: ROUTES.review,
      component: () => withScreenMessages(import('./pages/ReviewPage.vue')),
      meta: { title: 'reviewList.title' },
    },
    {
      path: '/admin',
      name: ROUTES.admin,
      component: () => withScreenMessages(import('./pages/AdminPage.vue')),
      meta: { title: 'admin.title' },
    },
    { path: '/:pathMatch(.*)*', redirect: { name: ROUTES.home } },
  ],
  // A new screen starts at the top; a query change on the same screen (the dashboard's period)
  // stays where it is, and skips a forced layout.
  scrollBehavior: (to, from) => (to.path === from.path ? false : { top: 0 }),
})
