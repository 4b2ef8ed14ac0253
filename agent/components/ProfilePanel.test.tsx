// @vitest-environment happy-dom
import { fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactProfile, Profile } from '../../protocol/index.js';
import { contact, conversation, detail } from '../test-support/fixtures.js';
import { resetAll } from '../test-support/reset.js';
import { VisitorPanel } from './VisitorPanel.js';

afterEach(resetAll);

const MINUTE = 60_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

function alice(overrides: Partial<Profile> = {}): Profile {
  return {
    name: 'Alice Martin',
    firstName: 'Alice',
    lastName: 'Martin',
    email: 'alice@acme.test',
    phone: '+33 6 12 34 56 78',
    avatarUrl: null,
    metadata: {
      plan: 'Pro',
      monthly_spend_eur: 249,
      newsletter: false,
      last_order: { id: 'ORD-20931', total: '€249.00', items: ['Hosting', 'Backups'] },
      dashboard: 'https://acme.example/admin/users/u_1001',
      notes: 'A'.repeat(400),
    },
    ...overrides,
  };
}

function fetched(overrides: Partial<ContactProfile> = {}): ContactProfile {
  const at = ago(2 * MINUTE);
  return contact({
    externalUserId: 'u_1001',
    identity: 'verified',
    profile: alice(),
    fetchedAt: at,
    httpStatus: 200,
    latencyMs: 143,
    lastAttempt: { at, outcome: 'ok', httpStatus: 200, latencyMs: 143, message: null },
    ...overrides,
  });
}

function show(c: ContactProfile | null, erasedAt: string | null = null) {
  const conv = conversation({
    identity: c?.identity ?? 'anonymous',
    externalUserId: c?.externalUserId ?? null,
    visitorLabel: c?.externalUserId ?? 'Visitor 1A2B',
  });
  const { visitor } = detail(conv, c);
  render(
    <VisitorPanel
      conversationId={conv.id}
      visitor={{ ...visitor, erasedAt }}
      label={conv.visitorLabel}
      contact={c}
    />,
  );
  const panel = screen.getByRole('complementary', { name: 'Visitor details' });
  return { panel, profile: within(panel).getByRole('region', { name: 'Profile' }) };
}

describe('the profile panel', () => {
  it('shows a verified contact: name, mailto and tel links, id, metadata and provenance', () => {
    const { panel, profile } = show(fetched());

    expect(within(panel).getByRole('heading', { name: 'Alice Martin' })).toBeTruthy();
    expect(within(panel).getByText('Verified')).toBeTruthy();
    expect(
      within(profile).getByRole('link', { name: 'alice@acme.test' }).getAttribute('href'),
    ).toBe('mailto:alice@acme.test');
    expect(
      within(profile).getByRole('link', { name: '+33 6 12 34 56 78' }).getAttribute('href'),
    ).toBe('tel:+33612345678');
    expect(within(profile).getByText('User id (verified)')).toBeTruthy();
    expect(within(profile).getByText('u_1001')).toBeTruthy();
    // Metadata: readable keys, nested objects and lists, booleans in words.
    expect(within(profile).getByText('Monthly spend eur')).toBeTruthy();
    expect(within(profile).getByText('249')).toBeTruthy();
    expect(within(profile).getByText('No')).toBeTruthy();
    expect(within(profile).getByText('ORD-20931')).toBeTruthy();
    expect(within(profile).getByText('Backups')).toBeTruthy();
    const dashboard = within(profile).getByRole('link', { name: /acme\.example\/admin/ });
    expect(dashboard.getAttribute('href')).toBe('https://acme.example/admin/users/u_1001');
    expect(dashboard.getAttribute('rel')).toContain('noopener');
    expect(screen.getByTestId('provenance').textContent).toBe(
      'from Acme API · 2 min ago · HTTP 200 · 143 ms',
    );
  });

  it('folds long metadata values behind “Show more”', () => {
    const { profile } = show(fetched());

    expect(within(profile).queryByText('A'.repeat(400), { exact: false })).toBeNull();
    fireEvent.click(within(profile).getByRole('button', { name: 'Show more' }));
    expect(within(profile).getByText('A'.repeat(400), { exact: false })).toBeTruthy();
    expect(within(profile).getByRole('button', { name: 'Show less' })).toBeTruthy();
  });

  it('marks a claimed id as unverified wherever it appears', () => {
    const { panel, profile } = show(fetched({ identity: 'claimed' }));

    expect(within(panel).getByText('Unverified (claimed)')).toBeTruthy();
    expect(within(panel).getByText(/Anyone could have claimed it/)).toBeTruthy();
    expect(within(profile).getByText('User id (unverified)')).toBeTruthy();
  });

  it('shows a user the site does not know (404) as new, with only the id', () => {
    const { profile } = show(
      fetched({
        externalUserId: 'u_2001',
        profile: null,
        httpStatus: 404,
        latencyMs: 12,
        lastAttempt: {
          at: ago(MINUTE),
          outcome: 'not_found',
          httpStatus: 404,
          latencyMs: 12,
          message: 'The site does not know this user',
        },
      }),
    );

    expect(
      within(profile).getByText('New to Acme — the site does not know this user yet'),
    ).toBeTruthy();
    expect(within(profile).getByText('u_2001')).toBeTruthy();
    expect(within(profile).queryByText('Email')).toBeNull();
    expect(within(profile).queryByTestId('profile-failure')).toBeNull();
    expect(screen.getByTestId('provenance').textContent).toContain('HTTP 404');
  });

  it('keeps the last good profile when the site fails, and says how old it is', () => {
    const { profile } = show(
      fetched({
        fetchedAt: ago(24 * 60 * MINUTE),
        lastAttempt: {
          at: ago(MINUTE),
          outcome: 'server_error',
          httpStatus: 503,
          latencyMs: 80,
          message: 'The site answered HTTP 503',
        },
      }),
    );

    const failure = within(profile).getByTestId('profile-failure');
    expect(failure.textContent).toMatch(
      /^Acme API returned 503 at .+ — showing data from yesterday/,
    );
    expect(failure.textContent).toContain('The site answered HTTP 503');
    expect(within(profile).getByRole('link', { name: 'alice@acme.test' })).toBeTruthy();
  });

  const timedOut = {
    at: ago(MINUTE),
    outcome: 'timeout' as const,
    httpStatus: null,
    latencyMs: 10_000,
    message: 'The site did not answer within 10 s',
  };
  const neverPulled = { fetchedAt: null, httpStatus: null, latencyMs: null, lastAttempt: timedOut };

  it.each([
    ['push', 'pushed through the API'],
    ['token', "carried in the site's user token"],
  ] as const)(
    'says where the profile shown came from (%s) when the site fails before any pull succeeded',
    (source, words) => {
      const written = { source, at: ago(3 * MINUTE), detail: null };
      const { profile } = show(
        fetched({
          ...neverPulled,
          provenance: { fields: { name: written, email: written }, properties: {} },
        }),
      );

      const failure = within(profile).getByTestId('profile-failure');
      expect(failure.textContent).toMatch(
        new RegExp(
          `^Acme API did not answer within 10 s at .+ — showing the profile ${words}The site`,
        ),
      );
      expect(within(profile).getByRole('link', { name: 'alice@acme.test' })).toBeTruthy();
    },
  );

  it('says there is no profile yet when the site fails and nothing else wrote one', () => {
    const { profile } = show(fetched({ ...neverPulled, profile: null }));

    expect(within(profile).getByTestId('profile-failure').textContent).toMatch(
      /^Acme API did not answer within 10 s at .+ — no profile yet/,
    );
  });

  it('renders HTML and script from the site as text, and links only http(s) URLs', () => {
    const { panel, profile } = show(
      fetched({
        profile: alice({
          name: '<img src=x onerror=alert(1)> <script>alert(2)</script>',
          email: '"><svg onload=alert(5)>@x.test',
          phone: 'javascript:alert(6)',
          avatarUrl: 'javascript:alert(7)',
          metadata: {
            bio: '<b onmouseover=alert(3)>hover</b>',
            website: 'javascript:alert(4)',
            data: 'data:text/html,<script>alert(8)</script>',
          },
        }),
      }),
    );

    expect(
      within(panel).getByRole('heading', {
        name: '<img src=x onerror=alert(1)> <script>alert(2)</script>',
      }),
    ).toBeTruthy();
    expect(within(profile).getByText('<b onmouseover=alert(3)>hover</b>')).toBeTruthy();
    expect(within(profile).getByText('javascript:alert(4)')).toBeTruthy();
    expect(within(profile).getByText('"><svg onload=alert(5)>@x.test')).toBeTruthy();
    expect(panel.querySelector('img, script, svg:not(.icon), b')).toBeNull();
    for (const link of within(panel).queryAllByRole('link')) {
      expect(link.getAttribute('href')).toMatch(/^(https?:|mailto:|tel:)/);
    }
    expect(within(profile).queryByRole('link', { name: /alert/ })).toBeNull();
  });

  it('loads an avatar only from an https URL, initials otherwise', () => {
    show(fetched({ profile: alice({ avatarUrl: 'https://cdn.acme.test/a.png' }) }));
    const img = screen.getByTestId('profile-avatar');
    expect(img.getAttribute('src')).toBe('https://cdn.acme.test/a.png');
    expect(img.getAttribute('referrerpolicy')).toBe('no-referrer');
    resetAll();

    show(fetched({ profile: alice({ avatarUrl: 'http://cdn.acme.test/a.png' }) }));
    expect(screen.queryByTestId('profile-avatar')).toBeNull();
    expect(screen.getAllByText('AM').length).toBeGreaterThan(0);
  });

  it('shows a subtle spinner and disables Refresh while a fetch runs', () => {
    show(fetched({ pending: true }));

    expect(screen.getByText('Fetching profile…')).toBeTruthy();
    expect(screen.getByRole('button', { name: /Refresh/ })).toHaveProperty('disabled', true);
  });

  it('explains an anonymous visitor', () => {
    const { panel, profile } = show(null);

    expect(within(panel).getByText('Anonymous')).toBeTruthy();
    expect(within(profile).getByText('Anonymous visitor')).toBeTruthy();
    expect(within(profile).queryByRole('button', { name: /Refresh/ })).toBeNull();
  });

  it('tags each value with its source, and says source, detail and time on hover', () => {
    const pushed = { source: 'push' as const, at: ago(3 * MINUTE), detail: 'CRM sync' };
    const pulled = { source: 'pull' as const, at: ago(2 * MINUTE), detail: 'HTTP 200' };
    const { panel, profile } = show(
      fetched({
        provenance: {
          fields: {
            name: pushed,
            email: pulled,
            phone: { ...pushed, source: 'token', detail: null },
          },
          properties: { plan: pushed, monthly_spend_eur: pulled },
        },
      }),
    );

    const tagOf = (label: string) => {
      const row = within(profile).getByText(label).closest('div') as HTMLElement;
      return within(row).getByTestId('source-tag');
    };
    expect(tagOf('Email').textContent).toMatch(
      /^pull\(Pulled from the site's user endpoint \(HTTP 200\) · .+\)$/,
    );
    expect(tagOf('Email').getAttribute('title')).toMatch(
      /^Pulled from the site's user endpoint \(HTTP 200\) · /,
    );
    expect(tagOf('Phone').textContent).toMatch(/^token\(Carried in the site's signed user token/);
    expect(tagOf('Plan').getAttribute('title')).toMatch(/^Pushed with the API key “CRM sync” · /);
    expect(tagOf('Monthly spend eur').textContent).toMatch(/^pull/);
    // Keys the site sent without a recorded source carry no tag.
    const newsletter = within(profile).getByText('Newsletter').closest('div') as HTMLElement;
    expect(within(newsletter).queryByTestId('source-tag')).toBeNull();
    const nameTag = within(panel).getAllByTestId('source-tag')[0];
    expect(nameTag?.getAttribute('title')).toMatch(/^Pushed with the API key “CRM sync”/);
  });

  it('marks a profile kept after the site stopped knowing the user', () => {
    const { profile } = show(fetched({ notFoundAtSiteAt: ago(5 * MINUTE) }));

    expect(within(profile).getByTestId('not-found-at-site').textContent).toBe(
      'Not found at Acme since 5 min ago — showing the profile kept from before',
    );
    expect(within(profile).getByRole('link', { name: 'alice@acme.test' })).toBeTruthy();
  });

  it('shows a deleted contact instead of a profile', () => {
    const { panel, profile } = show(null, ago(60 * MINUTE));

    expect(within(panel).getAllByText('Deleted contact').length).toBeGreaterThan(0);
    expect(within(profile).getByTestId('contact-erased').textContent).toMatch(
      /profile, properties and identity data are gone\. The conversation is kept/,
    );
    expect(within(panel).queryByText('Anonymous')).toBeNull();
    expect(within(profile).queryByRole('button', { name: /Refresh/ })).toBeNull();
  });
});
