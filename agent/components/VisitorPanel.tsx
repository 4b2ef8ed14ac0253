import type { ContactProfile, VisitorDetails } from '../../protocol/index.js';
import { dateTime, safeHttpUrl, shortUrl } from '../lib/format.js';
import { nameSource } from '../lib/provenance.js';
import { useNow } from '../lib/use-now.js';
import { ProfileAvatar } from './Avatar.js';
import { ConversationCards } from './card/index.js';
import { Icon } from './Icon.js';
import { IdentityBadge, identityExplanation } from './IdentityBadge.js';
import { Fact, profileName } from './ProfileFields.js';
import { ProfileSection } from './ProfilePanel.js';
import { SourceTag } from './SourceTag.js';

const unknown = <span class="muted">Unknown</span>;

function Link({ value }: { value: string | null }) {
  const href = safeHttpUrl(value);
  if (!value) return unknown;
  if (!href) return <span class="break">{value}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" class="fact-link" title={value}>
      <span class="ellipsis">{shortUrl(value)}</span>
      <Icon name="external" size={12} />
      <span class="sr-only"> (opens in a new tab)</span>
    </a>
  );
}

export function VisitorPanel(props: {
  conversationId: string;
  visitor: VisitorDetails;
  label: string;
  contact: ContactProfile | null;
  onClose?: () => void;
}) {
  const { visitor, contact } = props;
  const now = useNow();
  const name = profileName(contact?.profile) ?? props.label;
  const named = contact?.profile && profileName(contact.profile) ? contact.provenance : null;
  return (
    <aside class="visitor-panel" aria-label="Visitor details">
      <div class="visitor-card">
        {props.onClose ? (
          <button
            type="button"
            class="icon-button visitor-close"
            aria-label="Hide visitor details"
            onClick={props.onClose}
          >
            <Icon name="x" />
          </button>
        ) : null}
        <ProfileAvatar
          label={name}
          seed={visitor.id}
          src={contact?.profile?.avatarUrl ?? null}
          size="lg"
        />
        <h2 class="visitor-name" title={name}>
          {name}
        </h2>
        {named ? <SourceTag source={nameSource(named)} now={now} compact /> : null}
        {visitor.erasedAt ? (
          <span class="erased-chip">Deleted contact</span>
        ) : (
          <>
            <IdentityBadge identity={contact?.identity ?? visitor.identity} />
            <p class="visitor-identity-note">
              {identityExplanation(contact?.identity ?? visitor.identity)}
            </p>
          </>
        )}
      </div>
      {visitor.erasedAt ? (
        <ErasedContact at={visitor.erasedAt} />
      ) : (
        <ProfileSection conversationId={props.conversationId} contact={contact} />
      )}
      <ConversationCards conversationId={props.conversationId} />
      <section class="panel-section" aria-labelledby="visitor-heading">
        <h3 id="visitor-heading" class="panel-heading">
          Visitor
        </h3>
        <dl class="facts">
          {!contact && visitor.externalUserId ? (
            <Fact label="Ignored user id">
              <code>{visitor.externalUserId}</code>
            </Fact>
          ) : null}
          <Fact label="Page">
            <Link value={visitor.pageUrl} />
          </Fact>
          {visitor.referrer ? (
            <Fact label="Came from">
              <Link value={visitor.referrer} />
            </Fact>
          ) : null}
          <Fact label="Browser">{visitor.browser ?? unknown}</Fact>
          <Fact label="Locale">{visitor.locale ?? unknown}</Fact>
          <Fact label="First seen">{dateTime(visitor.firstSeenAt)}</Fact>
          <Fact label="Last seen">{dateTime(visitor.lastSeenAt)}</Fact>
        </dl>
      </section>
    </aside>
  );
}

/** The site or an admin erased this person: the conversation stays, their profile does not. */
function ErasedContact({ at }: { at: string }) {
  return (
    <section class="panel-section" aria-labelledby="profile-heading">
      <h3 id="profile-heading" class="panel-heading">
        Profile
      </h3>
      <div class="panel-empty" data-testid="contact-erased">
        <span class="panel-empty-icon">
          <Icon name="trash" size={18} />
        </span>
        <p class="panel-empty-title">Deleted contact</p>
        <p class="panel-empty-text">
          {`This person's contact was erased on ${dateTime(at)}: their profile, properties and identity data are gone. The conversation is kept for your team's records.`}
        </p>
      </div>
    </section>
  );
}
