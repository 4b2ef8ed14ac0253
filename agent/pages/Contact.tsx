import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { Contact, EraseResult } from '../../protocol/index.js';
import { ProfileAvatar } from '../components/Avatar.js';
import { Icon } from '../components/Icon.js';
import { Notice } from '../components/Notice.js';
import { ago, dateTime } from '../lib/format.js';
import { useNow } from '../lib/use-now.js';
import { $contact, loadContact } from '../stores/contact.js';
import { setContactFilters, setContactsNotice } from '../stores/contacts.js';
import { $projects } from '../stores/projects.js';
import { hrefOf, navigate } from '../stores/route.js';
import {
  ContactConversations,
  ContactFacts,
  ContactProperties,
  EraseDialog,
  IdentityCell,
  MergeDialog,
  contactLabel,
} from './contacts/index.js';

function erasedNotice(label: string, result: EraseResult): string {
  const n = result.conversations;
  if (n === 0) return `${label} was deleted.`;
  const convs = n === 1 ? '1 conversation' : `${n} conversations`;
  return result.messagesErased
    ? `${label} was deleted, with the messages of their ${convs}. The conversations stay, marked “Deleted contact”.`
    : `${label} was deleted. Their ${convs} ${n === 1 ? 'stays' : 'stay'}, marked “Deleted contact”.`;
}

/** One contact: profile with per-field provenance, properties, conversations; admins erase and merge. */
export function ContactPage(props: { projectId: string; externalId: string; isAdmin: boolean }) {
  const { projectId, externalId } = props;
  const state = useStore($contact);
  const projects = useStore($projects);
  const now = useNow();
  const [dialog, setDialog] = useState<'erase' | 'merge' | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    setDialog(null);
    setNotice(null);
    void loadContact(projectId, externalId);
  }, [projectId, externalId]);

  const mine = state.projectId === projectId && state.externalId === externalId;
  const detail = mine ? state.detail : null;
  const project = projects.find((p) => p.id === projectId);
  const crumbs = (current: string) => (
    <nav class="crumbs" aria-label="Breadcrumb">
      <a href={hrefOf({ name: 'contacts' })}>Contacts</a>
      <span aria-hidden="true">/</span>
      <span>{current}</span>
    </nav>
  );

  if (!detail) {
    const gone = mine && state.error?.code === 'not_found';
    return (
      <div class="page">
        {crumbs(externalId)}
        {mine && state.error ? (
          <div class="empty">
            <p class="empty-title">{gone ? 'Contact not found' : 'Could not load this contact'}</p>
            <p class="empty-text">
              {gone
                ? 'It was deleted, merged into another contact, or never existed in this project.'
                : state.error.message}
            </p>
            <a class="button" href={hrefOf({ name: 'contacts' })}>
              Back to contacts
            </a>
          </div>
        ) : (
          <p class="loading">Loading…</p>
        )}
      </div>
    );
  }

  const { contact, conversations } = detail;
  const label = contactLabel(contact);

  function erased(result: EraseResult): void {
    setContactFilters({ projectId });
    setContactsNotice(erasedNotice(label, result));
    navigate({ name: 'contacts' });
  }

  return (
    <div class="page">
      {crumbs(label)}
      <header class="page-head contact-head">
        <ProfileAvatar label={label} seed={contact.externalId} src={contact.avatarUrl} size="lg" />
        <div class="contact-title">
          <h1 class="break">{label}</h1>
          <p class="page-sub contact-sub">
            <IdentityCell identity={contact.identity} compact={false} />
            <span>
              Id <code class="break">{contact.externalId}</code>
            </span>
            {project ? <span>{project.name}</span> : null}
          </p>
        </div>
        {props.isAdmin ? (
          <div class="contact-actions">
            <button type="button" class="button" onClick={() => setDialog('merge')}>
              <Icon name="merge" size={14} />
              Merge…
            </button>
            <button type="button" class="button button-danger" onClick={() => setDialog('erase')}>
              <Icon name="trash" size={14} />
              Delete…
            </button>
          </div>
        ) : null}
      </header>
      <Notice ok text={notice} />
      {state.error ? (
        <p class="notice notice-error" role="alert">
          {`${state.error.message}. What is shown may be out of date.`}
        </p>
      ) : null}
      <NotFoundAtSite contact={contact} siteName={project?.name ?? 'the site'} now={now} />
      <div class="contact-grid">
        <div class="contact-main">
          <section class="card card-pad" aria-labelledby="contact-profile">
            <h2 id="contact-profile" class="card-title">
              Profile
            </h2>
            <ContactFacts contact={contact} now={now} />
          </section>
          <section class="card card-pad" aria-labelledby="contact-properties">
            <h2 id="contact-properties" class="card-title">
              Properties
            </h2>
            <ContactProperties contact={contact} now={now} />
          </section>
        </div>
        <div class="contact-side">
          <section class="card card-pad" aria-labelledby="contact-conversations">
            <h2 id="contact-conversations" class="card-title">
              Conversations <span class="muted">{conversations.length}</span>
            </h2>
            <ContactConversations conversations={conversations} now={now} />
          </section>
          <section class="card card-pad" aria-labelledby="contact-record">
            <h2 id="contact-record" class="card-title">
              Record
            </h2>
            <dl class="contact-facts">
              <div class="contact-fact">
                <dt>Known since</dt>
                <dd>{dateTime(contact.createdAt)}</dd>
              </div>
              <div class="contact-fact">
                <dt>Last change</dt>
                <dd title={dateTime(contact.updatedAt)}>{ago(contact.updatedAt, now)}</dd>
              </div>
            </dl>
          </section>
        </div>
      </div>
      {dialog === 'erase' ? (
        <EraseDialog
          projectId={projectId}
          externalId={contact.externalId}
          label={label}
          conversations={conversations.length}
          onClose={() => setDialog(null)}
          onErased={erased}
        />
      ) : null}
      {dialog === 'merge' ? (
        <MergeDialog
          projectId={projectId}
          externalId={contact.externalId}
          label={label}
          onClose={() => setDialog(null)}
          onMerged={(result, other) => {
            setDialog(null);
            setNotice(
              result.alreadyMerged
                ? `${other} had already been merged into ${label}; nothing changed.`
                : `${other} was merged into ${label}: ${result.conversationsMoved === 1 ? '1 conversation' : `${result.conversationsMoved} conversations`} moved here.`,
            );
          }}
        />
      ) : null}
    </div>
  );
}

function NotFoundAtSite(props: { contact: Contact; siteName: string; now: number }) {
  const at = props.contact.notFoundAtSiteAt;
  if (!at) return null;
  return (
    <p class="notice notice-warning" data-testid="not-found-at-site">
      <Icon name="alert" size={14} />
      <span>
        <strong>Not found at the site.</strong>
        {` ${props.siteName}'s user endpoint answered “not found” for this id `}
        <time dateTime={at} title={dateTime(at)}>
          {ago(at, props.now)}
        </time>
        . The profile below is what Palaver kept from before.
      </span>
    </p>
  );
}
