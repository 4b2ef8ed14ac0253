import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { AcmeAccounts } from './accounts.js';
import type { AcmeOrder, AcmeOrders } from './orders.js';
import type { AcmeUser } from './users.js';

/** How long the "slow" user makes Palaver wait: beyond its 10 s deadline. */
export const SLOW_USER_DELAY_MS = 12_000;

/** The user as Acme's API answers; `latest` is their newest order, as the Orders card lists it. */
function answerFor(user: AcmeUser, latest: AcmeOrder | undefined): unknown {
  switch (user.behaviour) {
    case 'invalid':
      return { first_name: user.firstName, email: 42, metadata: 'not an object' };
    case 'hostile':
      return {
        first_name: '<img src=x onerror=alert(1)>',
        last_name: '<script>alert(2)</script>',
        email: user.email,
        metadata: { bio: '<b onmouseover=alert(3)>hover</b>', website: 'javascript:alert(4)' },
      };
    default:
      return {
        first_name: user.firstName,
        last_name: user.lastName,
        email: user.email,
        phone_number: user.id === 'u_1001' ? '+33 6 12 34 56 78' : null,
        avatar_url: null,
        metadata: {
          plan: user.plan,
          company: user.company,
          monthly_spend_eur: user.id === 'u_1001' ? 249 : 19,
          signed_up: user.signedUp,
          ...(latest && {
            last_order: {
              id: latest.number,
              status: latest.status,
              placed: latest.createdAt.slice(0, 10),
            },
          }),
          dashboard: `https://acme.example/admin/users/${user.id}`,
          // PII that Palaver's guard must drop before storing anything.
          card_number: '4242 4242 4242 4242',
        },
      };
  }
}

/**
 * Acme's user API: the site endpoint the demo project calls, implementing the contract in the
 * README (GET /users/{id} with a bearer secret). It answers from Acme's accounts as they are now,
 * so a pull agrees with what Acme's server pushed.
 */
export function demoUserApiRouter(
  secret: string,
  accounts: AcmeAccounts,
  orders: AcmeOrders,
): Router {
  const router = Router();
  const expected = Buffer.from(`Bearer ${secret}`);

  router.get('/users/:id', (req, res) => {
    const presented = Buffer.from(req.get('authorization') ?? '');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      res.status(401).json({ error: 'bad credentials' });
      return;
    }
    const user = accounts.find(req.params.id);
    if (!user || user.behaviour === 'unknown') {
      res.status(404).json({ error: 'no such user' });
      return;
    }
    const latest = orders.of(user.id)[0];
    if (user.behaviour === 'slow') {
      const timer = setTimeout(
        () => res.json(answerFor({ ...user, behaviour: 'full' }, latest)),
        SLOW_USER_DELAY_MS,
      );
      res.on('close', () => clearTimeout(timer));
      return;
    }
    res.json(answerFor(user, latest));
  });
  return router;
}
