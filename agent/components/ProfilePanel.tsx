import { useEffect, useState } from 'preact/hooks';
import type { ContactProfile, ContactSource } from '../../protocol/index.js';
import { failed } from '../api/request.js';
import { ago, dateTime, milliseconds, shortWhen } from '../lib/format.js';
import { failurePhrase, isSuccess } from '../lib/outcomes.js';
import { sourcesOf } from '../lib/provenance.js';
import { useNow } from '../lib/use-now.js';
import { refreshProfile } from '../stores/details.js';
import { Icon } from './Icon.js';
import { PanelHead } from './PanelHead.js';
import { Fact, ProfileFields } from './ProfileFields.js';

/** "Acme API": how the panel names where a profile comes from. */
const sourceOf = (contact: ContactProfile) => `${contact.siteName} API`;

function Provenance({ contact, now }: { contact: ContactProfile; now: number }) {
  if (!contact.fetchedAt) return null;
  const parts = [`from ${sourceOf(contact)}`, ago(contact.fetchedAt, now)];
  if (contact.httpStatus !== null) parts.push(`HTTP ${contact.httpStatus}`);
  if (contact.latencyMs !== null) parts.push(milliseconds(contact.latencyMs));
  return (
    <p class="provenance" title={`Fetched ${dateTime(contact.fetchedAt)}`} data-testid="provenance">
      {parts.join(' · ')}
    </p>
  );
}

/** The last attempt failed after (or without) a good answer. */
function failedAttempt(contact: ContactProfile) {
  const last = contact.lastAttempt;
  if (!last || isSuccess(last.outcome)) return null;
  if (contact.fetchedAt && Date.parse(last.at) < Date.parse(contact.fetchedAt)) return null;
  return last;
}

const HOW_WRITTEN: Record<ContactSource, string> = {
  push: 'pushed through the API',
  pull: 'pulled before',
  token: "carried in the site's user token",
};

/** "pushed through the API and carried in the site's user token": how the values shown came. */
function howWritten(provenance: ContactProfile['provenance']): string {
  const how = sourcesOf(provenance).map((source) => HOW_WRITTEN[source]);
  // Values stored before provenance was recorded have none.
  return how.length > 0 ? how.join(' and ') : 'kept from before';
}

function Failure({ contact, now }: { contact: ContactProfile; now: number }) {
  const last = failedAttempt(contact);
  if (!last) return null;
  const what = `${sourceOf(contact)} ${failurePhrase(last)} at ${shortWhen(last.at, now)}`;
  let tail: string;
  if (contact.profile && contact.fetchedAt) {
    tail = `showing data from ${ago(contact.fetchedAt, now)}`;
  } else if (contact.profile) {
    // No pull ever succeeded, yet the contact has a profile: pushed, or from a token.
    tail = `showing the profile ${howWritten(contact.provenance)}`;
  } else if (contact.fetchedAt) {
    tail = `showing the answer from ${ago(contact.fetchedAt, now)}`;
  } else {
    tail = 'no profile yet';
  }
  return (
    <div class="profile-alert" role="status" data-testid="profile-failure">
      <Icon name="alert" size={14} />
      <div>
        <p class="strong">{`${what} — ${tail}`}</p>
        {last.message ? <p class="profile-alert-detail">{last.message}</p> : null}
      </div>
    </div>
  );
}

/** The site's endpoint no longer knows this id; what is shown was kept from before. */
function NotFoundAtSite({ contact, now }: { contact: ContactProfile; now: number }) {
  if (!contact.notFoundAtSiteAt) return null;
  return (
    <p
      class="profile-gone"
      data-testid="not-found-at-site"
      title={`${sourceOf(contact)} answered “not found” ${dateTime(contact.notFoundAtSiteAt)}`}
    >
      <Icon name="alert" size={13} />
      {`Not found at ${contact.siteName} since ${ago(contact.notFoundAtSiteAt, now)} — showing the profile kept from before`}
    </p>
  );
}

function UserIdFact({ contact }: { contact: ContactProfile }) {
  return (
    <Fact label={contact.identity === 'verified' ? 'User id (verified)' : 'User id (unverified)'}>
      <code class="break">{contact.externalUserId}</code>
    </Fact>
  );
}

function ProfileBody({ contact, now }: { contact: ContactProfile; now: number }) {
  if (contact.profile) {
    return (
      <>
        <Failure contact={contact} now={now} />
        <NotFoundAtSite contact={contact} now={now} />
        <ProfileFields profile={contact.profile} provenance={contact.provenance}>
          <UserIdFact contact={contact} />
        </ProfileFields>
        <Provenance contact={contact} now={now} />
      </>
    );
  }
  const unknownToSite =
    contact.fetchedAt !== null && (contact.httpStatus === 404 || contact.httpStatus === 410);
  return (
    <>
      <Failure contact={contact} now={now} />
      {unknownToSite ? (
        <div class="profile-new" data-testid="profile-new">
          <p class="strong">{`New to ${contact.siteName} — the site does not know this user yet`}</p>
          <p class="muted">Treat them as a new customer: only their user id is known.</p>
        </div>
      ) : !contact.lastAttempt && !contact.pending ? (
        <div class="panel-empty" data-testid="profile-empty">
          <span class="panel-empty-icon">
            <Icon name="user" size={18} />
          </span>
          <p class="panel-empty-title">No profile yet</p>
          <p class="panel-empty-text">
            {`Palaver has not asked ${sourceOf(contact)} about this user yet. Use Refresh, or ask an admin to check Settings → Projects → API Integration.`}
          </p>
        </div>
      ) : null}
      <dl class="facts">
        <UserIdFact contact={contact} />
      </dl>
      <Provenance contact={contact} now={now} />
    </>
  );
}

/**
 * What the site's user API said about the person behind the conversation, with where and when it
 * came from, live: every fetch announces the contact as it is now, and the console applies it.
 */
export function ProfileSection(props: { conversationId: string; contact: ContactProfile | null }) {
  const { contact, conversationId } = props;
  const now = useNow();
  const [refreshing, setRefreshing] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    setRefreshing(false);
  }, [conversationId]);

  async function refresh(): Promise<void> {
    setRefreshing(true);
    setError(null);
    try {
      await refreshProfile(conversationId);
    } catch (e) {
      setError(failed(e, 'refresh the profile'));
    } finally {
      setRefreshing(false);
    }
  }

  const pending = Boolean(contact?.pending) || refreshing;
  return (
    <section class="panel-section" aria-labelledby="profile-heading" aria-busy={pending}>
      <PanelHead
        id="profile-heading"
        title="Profile"
        pending={pending}
        pendingText="Fetching profile…"
        refreshTitle={contact ? `Fetch this profile from ${sourceOf(contact)} now` : ''}
        onRefresh={contact ? () => void refresh() : undefined}
      />
      {error ? (
        <p class="notice notice-error profile-error" role="alert">
          {error}
        </p>
      ) : null}
      {contact ? (
        <ProfileBody contact={contact} now={now} />
      ) : (
        <div class="panel-empty" data-testid="profile-anonymous">
          <span class="panel-empty-icon">
            <Icon name="user" size={18} />
          </span>
          <p class="panel-empty-title">Anonymous visitor</p>
          <p class="panel-empty-text">
            This visitor is not signed in on the site, or the site did not pass a user id Palaver
            accepted, so there is no profile to show. Ask them who they are if you need to.
          </p>
        </div>
      )}
    </section>
  );
}
