import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import { Icon } from '../components/Icon.js';
import { Notice } from '../components/Notice.js';
import { PageHead } from '../components/PageHead.js';
import { useNow } from '../lib/use-now.js';
import {
  $contacts,
  loadContacts,
  setContactFilters,
  setContactsNotice,
} from '../stores/contacts.js';
import { $projects, loadProjects } from '../stores/projects.js';
import { ContactRow, ContactToolbar } from './contacts/index.js';

/** Every agent's list of a project's contacts: search, filters, a page at a time. */
export function ContactsPage() {
  const state = useStore($contacts);
  const projects = useStore($projects);
  const now = useNow();
  const [projectsChecked, setProjectsChecked] = useState(projects.length > 0);

  useEffect(() => {
    if ($projects.get().length > 0) return;
    loadProjects()
      .catch(() => undefined)
      .finally(() => setProjectsChecked(true));
  }, []);

  useEffect(() => {
    const first = projects[0];
    const known = projects.some((p) => p.id === state.projectId);
    if (!known && first) setContactFilters({ projectId: first.id });
  }, [projects, state.projectId]);

  // Coming back to the list shows what changed meanwhile (an erase, a merge, new pushes).
  useEffect(() => {
    if ($contacts.get().projectId) void loadContacts();
    return () => setContactsNotice(null);
  }, []);

  const filtered = Boolean(state.q.trim() || state.identity || state.source);
  const project = projects.find((p) => p.id === state.projectId);

  if (projectsChecked && projects.length === 0) {
    return (
      <div class="page">
        <h1>Contacts</h1>
        <div class="empty">
          <p class="empty-title">No projects yet</p>
          <p class="empty-text">
            Contacts belong to a project. Ask an admin to add you to one (Settings → Agents).
          </p>
        </div>
      </div>
    );
  }

  return (
    <div class="page">
      <PageHead title="Contacts">
        The people {project ? `of ${project.name}` : 'of your site'}: pushed by the site's servers,
        pulled from its user endpoint, or carried in its signed token.
      </PageHead>
      <Notice ok text={state.notice} />
      <ContactToolbar
        projects={projects}
        filters={state}
        onChange={(change) => {
          setContactsNotice(null);
          setContactFilters(change);
        }}
      />
      {state.error ? (
        <div class="notice notice-error" role="alert">
          <span>{`${state.error}.`}</span>
          <button type="button" class="link-button" onClick={() => void loadContacts()}>
            Try again
          </button>
        </div>
      ) : null}
      <p class="sr-only" role="status">
        {state.loaded && !state.loading
          ? `${state.items.length}${state.nextCursor ? '+' : ''} contacts`
          : ''}
      </p>
      {state.items.length > 0 && state.projectId ? (
        <div class="card card-table">
          <table class="table contact-table">
            <thead>
              <tr>
                <th scope="col">Contact</th>
                <th scope="col">Email</th>
                <th scope="col">Identity</th>
                <th scope="col">Sources</th>
                <th scope="col">Updated</th>
              </tr>
            </thead>
            <tbody>
              {state.items.map((c) => (
                <ContactRow
                  key={c.externalId}
                  projectId={state.projectId ?? ''}
                  contact={c}
                  now={now}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : state.loaded && !state.loading && !state.error ? (
        <Empty filtered={filtered} />
      ) : null}
      {state.loading ? <p class="loading">Loading…</p> : null}
      {state.nextCursor && !state.loading ? (
        <button
          type="button"
          class="button button-ghost load-more"
          onClick={() => void loadContacts(true)}
        >
          Load more
        </button>
      ) : null}
    </div>
  );
}

function Empty({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div class="empty">
        <span class="empty-icon">
          <Icon name="search" size={22} />
        </span>
        <p class="empty-title">No contacts match</p>
        <p class="empty-text">Try fewer or other words, or clear the filters.</p>
        <button
          type="button"
          class="button"
          onClick={() => setContactFilters({ q: '', identity: null, source: null })}
        >
          Clear search and filters
        </button>
      </div>
    );
  }
  return (
    <div class="empty">
      <span class="empty-icon">
        <Icon name="contacts" size={22} />
      </span>
      <p class="empty-title">No contacts yet</p>
      <p class="empty-text">
        A contact appears when a signed-in visitor chats, or when the site's servers push their
        users with an API key (an admin creates keys in the project's settings).
      </p>
    </div>
  );
}
