import { join } from 'node:path';
import express, { Router, type Request } from 'express';
import { parse as parseCookie } from 'cookie';
import { deferredLoaderSource } from '../widget/snippet.js';
import { escapeHtml, scriptJson } from './html.js';
import type { AcmeAccounts } from './accounts.js';
import { mintUserToken } from './identity.js';
import type { AcmeOrder, AcmeOrders } from './orders.js';
import { ordersSection } from './orders-page.js';
import type { PalaverClient } from './palaver-client.js';
import { DEMO_PROJECT_ID } from './seed.js';
import { pushPlan } from './sync.js';
import { ACME_PLANS, type AcmePlan, type AcmeUser } from './users.js';
import type { WebhookLog } from './webhooks.js';
import { webhooksPageBody } from './webhooks-page.js';

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
      <nav><a href="/demo/">Dashboard</a><a href="/demo/">Billing</a><a href="/demo/">Docs</a><a href="/demo/webhooks">Webhooks</a></nav>
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

/** What the last plan change did, shown once on the next page. */
interface Notice {
  ok: boolean;
  text: string;
}

function signInBox(users: readonly AcmeUser[]): string {
  const buttons = users
    .map(
      (u) =>
        `<button name="user" value="${escapeHtml(u.id)}">${escapeHtml(`${u.firstName} ${u.lastName}`)}<small>${escapeHtml(u.plan)} plan · ${escapeHtml(u.id)}</small><small class="note">${escapeHtml(u.note)}</small></button>`,
    )
    .join('');
  return `<section class="card">
      <h1>Welcome to Acme Cloud</h1>
      <p>You are browsing as a guest. The chat bubble works anonymously; sign in as one of Acme's users and the support agent sees who you are.</p>
      <form method="post" action="/demo/sign-in" class="users">${buttons}</form>
    </section>`;
}

function planCard(user: AcmeUser, notice: Notice | undefined): string {
  const pro = user.plan === 'Pro';
  const next: AcmePlan = pro ? 'Starter' : 'Pro';
  const shown = notice
    ? `<p class="notice ${notice.ok ? 'notice-ok' : 'notice-error'}" role="status">${escapeHtml(notice.text)}</p>`
    : '';
  return `<section class="card plan">
      <div class="row">
        <div class="plan-text"><h2>${pro ? 'You are on Pro' : 'Upgrade to Pro'}</h2>
          <p class="muted">${pro ? 'Unlimited projects and priority support are yours.' : 'Unlimited projects, priority support and a 99.99% uptime guarantee.'}</p></div>
        <form method="post" action="/demo/plan"><input type="hidden" name="plan" value="${next}" /><button class="${pro ? 'button-secondary' : 'button-primary'}">${pro ? 'Switch to Starter' : 'Upgrade to Pro'}</button></form>
      </div>
      ${shown}
    </section>`;
}

function dashboard(
  user: AcmeUser,
  orders: readonly AcmeOrder[],
  notice: Notice | undefined,
): string {
  return `<section class="card">
      <div class="row"><h1>Hello, ${escapeHtml(user.firstName)}</h1>
        <form method="post" action="/demo/sign-out"><button class="link">Sign out</button></form></div>
      <p>Signed in as <strong>${escapeHtml(`${user.firstName} ${user.lastName}`)}</strong> (${escapeHtml(user.email)}, id <code>${escapeHtml(user.id)}</code>). The widget was started with this id and a <code>userToken</code> signed by Acme’s server, so the agent sees a verified profile: what Acme’s server pushed to Palaver’s API, and what Palaver fetched from Acme’s user API.</p>
      <div class="stats"><div><b>3</b><span>Projects</span></div><div><b>99.98%</b><span>Uptime</span></div><div><b>${escapeHtml(user.plan)}</b><span>Plan</span></div></div>
    </section>
    ${planCard(user, notice)}
    ${ordersSection(orders)}`;
}

function told(user: AcmeUser): Notice {
  const call = `PUT /api/v1/contacts/${user.id} with {"properties":{"plan":"${user.plan}"}}`;
  return {
    ok: true,
    text: `Your plan is now ${user.plan}. Acme’s server told Palaver (${call}): an agent with your conversation open sees the new plan at once.`,
  };
}

export interface DemoSiteOptions {
  publicUrl: string;
  assetsDir: string;
  identitySecret: () => Promise<string>;
  accounts: AcmeAccounts;
  orders: AcmeOrders;
  palaver: PalaverClient;
  /** What Acme's webhook receiver got, listed at /demo/webhooks. */
  webhooks: WebhookLog;
}

/**
 * Acme's website: a storefront with a fake sign-in, the widget installed on every page. For a
 * signed-in user the server mints a short-lived `userToken` with the project's identity secret,
 * and pushes a plan change to Palaver's API, exactly as a real site would.
 */
export function demoSiteRouter(options: DemoSiteOptions): Router {
  const { publicUrl, assetsDir, identitySecret, accounts, orders, palaver, webhooks } = options;
  const notices = new Map<string, Notice>();
  const router = Router();
  const signedIn = (req: Request) =>
    accounts.find(parseCookie(req.headers.cookie ?? '')[ACME_COOKIE]);
  router.use(express.urlencoded({ extended: false, limit: '2kb' }));
  /** Every page starts the widget as the signed-in user, if any. */
  const widgetInit = async (user: AcmeUser | undefined) => {
    const init: Record<string, unknown> = { projectId: DEMO_PROJECT_ID };
    if (user) {
      init.externalUserId = user.id;
      init.userToken = await mintUserToken(user.id, DEMO_PROJECT_ID, await identitySecret());
    }
    return init;
  };

  router.get('/acme.css', (_req, res) => res.sendFile(join(assetsDir, 'acme.css')));

  router.get('/', async (req, res) => {
    const user = signedIn(req);
    const notice = user && notices.get(user.id);
    if (user) notices.delete(user.id);
    res.type('html').send(
      page(publicUrl, {
        title: user ? 'Dashboard' : 'Welcome',
        body: user ? dashboard(user, orders.of(user.id), notice) : signInBox(accounts.all()),
        widgetInit: await widgetInit(user),
      }),
    );
  });

  router.post('/sign-in', (req, res) => {
    const form = req.body as { user?: unknown } | undefined;
    const user = accounts.find(typeof form?.user === 'string' ? form.user : undefined);
    if (!user) {
      res.status(400).type('text/plain').send('Unknown Acme user');
      return;
    }
    res.cookie(ACME_COOKIE, user.id, { httpOnly: true, sameSite: 'lax', path: '/demo' });
    res.redirect(303, '/demo/');
  });

  router.post('/plan', async (req, res) => {
    const form = req.body as { plan?: unknown } | undefined;
    const plan = ACME_PLANS.find((p) => p === form?.plan);
    const current = signedIn(req);
    if (!current || !plan) {
      res
        .status(400)
        .type('text/plain')
        .send(current ? 'Unknown plan' : 'Sign in first');
      return;
    }
    const user = accounts.changePlan(current.id, plan) ?? current;
    try {
      await pushPlan(palaver, user);
      notices.set(user.id, told(user));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      notices.set(user.id, {
        ok: false,
        text: `Your plan is now ${user.plan}, but Acme’s server could not tell Palaver: ${reason}`,
      });
    }
    res.redirect(303, '/demo/');
  });

  router.get('/webhooks', async (req, res) => {
    res.type('html').send(
      page(publicUrl, {
        title: 'Webhooks',
        body: webhooksPageBody(webhooks.list()),
        widgetInit: await widgetInit(signedIn(req)),
      }),
    );
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
