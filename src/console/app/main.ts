import { useKey, type ApiError } from './api.js'
import { h, replace } from './dom.js'
import { currentPlace, go, href } from './router.js'
import { forgetKey, identify, storedKey, storeKey, type Identity } from './session.js'
import type { View } from './view.js'
import { signInView } from './views/sign-in-view.js'
import { tenantView } from './views/tenant-view.js'
import { userView } from './views/user-view.js'
import { usersView } from './views/users-view.js'

const root = document.getElementById('app')!
let identity: Identity | null = null
let current: AbortController | null = null
let firstPage = true

function signIn(who: Identity): void {
  identity = who
  storeKey(who.key)
  useKey(who.key, (error) => signOut(error))
  firstPage = false
  go(currentPlace().path[0] === 'sign-in' || location.hash === '' ? href(['users']) : location.hash)
}

/** Forgets the key everywhere it was: storage, the API client and the page. */
function signOut(reason: ApiError | null = null): void {
  identity = null
  forgetKey()
  useKey(null)
  current?.abort()
  const main = h('main', { id: 'main', tabindex: '-1', class: 'main main-narrow' })
  replace(root, main)
  document.title = 'Sign in · roster console'
  signInView(main, signIn, reason)
}

function shell(who: Identity, section: string): HTMLElement {
  const main = h('main', { id: 'main', tabindex: '-1', class: 'main' })
  const link = (name: string, label: string) =>
    h('a', { href: href([name]), class: 'nav-link', 'aria-current': section === name ? 'page' : false }, label)
  replace(root,
    h('button', { class: 'skip-link', type: 'button', onclick: () => main.focus() }, 'Skip to content'),
    h('header', { class: 'top-bar' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◆'), ' roster console'),
      h('nav', { class: 'nav', 'aria-label': 'Console' }, link('users', 'Users'), link('tenant', 'Tenant')),
      h('div', { class: 'who' },
        h('span', { class: 'who-name' }, who.tenantName ?? 'Signed in', who.self ? ` · ${who.self.name}` : ''),
        h('button', { class: 'button button-quiet', type: 'button', onclick: () => signOut() }, 'Sign out'))),
    main)
  return main
}

const VIEWS: Readonly<Record<string, { view: View; title: string }>> = {
  users: { view: usersView, title: 'Users' },
  user: { view: userView, title: 'User' },
  tenant: { view: tenantView, title: 'Tenant' },
}

async function render(): Promise<void> {
  if (!identity) return signOut()
  const place = currentPlace()
  const name = place.path[0] === 'users' && place.path.length > 1 ? 'user' : place.path[0] ?? ''
  const chosen = VIEWS[name]
  if (!chosen) return go(href(['users']))
  current?.abort()
  const controller = new AbortController()
  current = controller
  const main = shell(identity, name === 'user' ? 'users' : name)
  document.title = `${chosen.title} · roster console`
  const moved = !firstPage
  firstPage = false
  await chosen.view({ main, identity, place, signal: controller.signal })
  // After a move within the console, start the reader at the new page's heading (unless they already moved on).
  const heading = main.querySelector<HTMLElement>('h1')
  if (moved && !controller.signal.aborted && heading && (document.activeElement === document.body || document.activeElement === main)) heading.focus()
}

async function start(): Promise<void> {
  window.addEventListener('hashchange', () => void render())
  const key = storedKey()
  if (!key) return signOut()
  replace(root, h('main', { id: 'main', class: 'main main-narrow' }, h('p', { role: 'status' }, 'Signing in…')))
  try {
    identity = await identify(key)
    useKey(key, (error) => signOut(error))
  } catch (error) {
    return signOut(error as ApiError)
  }
  await render()
}

void start()
