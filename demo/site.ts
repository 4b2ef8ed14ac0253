import { join } from 'node:path';
import express, { Router } from 'express';
import { parse as parseCookie } from 'cookie';
import { deferredLoaderSource } from '../widget/snippet.js';
import { escapeHtml, scriptJson } from './html.js';
import { DEMO_PROJECT_ID } from './seed.js';
import { mintUserToken } from './identity.js';
import { ACME_USERS, findAcmeUser, type AcmeUser } from './users.js';

const ACME_COOKIE = 'acme_user';

interface PageOptions {
  title: string;
  body: string;
  widgetInit: Record<string, unknown>;
  /** Site logout: the page tells the widget to forget the previous user first. */
  resetWidget?: boolean;
}

function page(publicUrl: string, options: PageOptions): string {
  const calls = [
    options.resetWidget ? "Palaver('reset');" : '',
    `Palaver('init', ${scriptJson(options.widgetInit)});`,
  ]
    .filter(Boolean)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(options.title)} · Acme Cloud</title>
    <link rel="stylesheet" href="/demo/acme.css" />
    <link rel="icon" href="data:," />
  </head>
  <body>
    <header class="top">
      <a class="logo" href="/demo/">▲ Acme Cloud</a>
      <nav><a href="/demo/">Dashboard</a><a href="/demo/">Billing</a><a href="/demo/">Docs</a></nav>
    </header>
    <main>${options.body}</main>
    <footer>This is a demo site embedding the Palaver widget. Agents answer at <a href="/agent/">/agent/</a>.</footer>
    <script>
      ${deferredLoaderSource(`${publicUrl}/widget/widget.js`)}
      ${calls}
    </script>
  </body>
</html>`;
}

function signInBox(): string {
  const buttons = ACME_USERS.map(
    (u) =>
      `<button name="user" value="${escapeHtml(u.id)}">${escapeHtml(`${u.firstName} ${u.lastName}`)}<small>${escapeHtml(u.plan)} plan · ${escapeHtml(u.id)}</small><small class="note">${escapeHtml(u.note)}</small></button>`,
  ).join('');
  return `<section class="card">
      <h1>Welcome to Acme Cloud</h1>
      <p>You are browsing as a guest. The chat bubble works anonymously; sign in as one of Acme's users and the support agent sees who you are.</p>
      <form method="post" action="/demo/sign-in" class="users">${buttons}</form>
    </section>`;
}

function dashboard(user: AcmeUser): string {
  return `<section class="card">
      <div class="row"><h1>Hello, ${escapeHtml(user.firstName)}</h1>
        <form method="post" action="/demo/sign-out"><button class="link">Sign out</button></form></div>
      <p>Signed in as <strong>${escapeHtml(`${user.firstName} ${user.lastName}`)}</strong> (${escapeHtml(user.email)}, id <code>${escapeHtml(user.id)}</code>). The widget was started with this id and a <code>userToken</code> signed by Acme’s server, so the agent sees a verified profile fetched from Acme’s user API.</p>
      <div class="stats"><div><b>3</b><span>Projects</span></div><div><b>99.98%</b><span>Uptime</span></div><div><b>${escapeHtml(user.plan)}</b><span>Plan</span></div></div>
    </section>`;
}

/**
 * Acme's website: a storefront with a fake sign-in, the widget installed on every page. For a
 * signed-in user the server mints a short-lived `userToken` with the project's identity secret,
 * exactly as a real site would.
 */
export function demoSiteRouter(
  publicUrl: string,
  assetsDir: string,
  identitySecret: () => Promise<string>,
): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '2kb' }));

  router.get('/acme.css', (_req, res) => res.sendFile(join(assetsDir, 'acme.css')));

  router.get('/', async (req, res) => {
    const user = findAcmeUser(parseCookie(req.headers.cookie ?? '')[ACME_COOKIE]);
    const init: Record<string, unknown> = { projectId: DEMO_PROJECT_ID };
    if (user) {
      init.externalUserId = user.id;
      init.userToken = await mintUserToken(user.id, DEMO_PROJECT_ID, await identitySecret());
    }
    res.type('html').send(
      page(publicUrl, {
        title: user ? 'Dashboard' : 'Welcome',
        body: user ? dashboard(user) : signInBox(),
        widgetInit: init,
      }),
    );
  });

  router.post('/sign-in', (req, res) => {
    const form = req.body as { user?: unknown } | undefined;
    const user = findAcmeUser(typeof form?.user === 'string' ? form.user : undefined);
    if (!user) {
      res.status(400).type('text/plain').send('Unknown Acme user');
      return;
    }
    res.cookie(ACME_COOKIE, user.id, { httpOnly: true, sameSite: 'lax', path: '/demo' });
    res.redirect(303, '/demo/');
  });

  router.post('/sign-out', (_req, res) => {
    res.clearCookie(ACME_COOKIE, { path: '/demo' });
    res.redirect(303, '/demo/signed-out');
  });

  router.get('/signed-out', (_req, res) => {
    res.type('html').send(
      page(publicUrl, {
        title: 'Signed out',
        body: `<section class="card"><h1>You are signed out</h1><p>The page called <code>Palaver('reset')</code>, so the next person on this browser starts a fresh, anonymous chat.</p><p><a href="/demo/">Back to Acme</a></p></section>`,
        widgetInit: { projectId: DEMO_PROJECT_ID },
        resetWidget: true,
      }),
    );
  });

  return router;
}
