import { useStore } from '@nanostores/preact';
import { useEffect, useState } from 'preact/hooks';
import type { AuthSession } from '../protocol/index.js';
import { Icon } from './components/Icon.js';
import { Shell } from './components/Shell.js';
import { ContactPage } from './pages/Contact.js';
import { ContactsPage } from './pages/Contacts.js';
import { ConversationPage } from './pages/Conversation.js';
import { Inbox } from './pages/Inbox.js';
import { Login } from './pages/Login.js';
import { AgentsPage } from './pages/Settings/Agents.js';
import { ApiKeysPage } from './pages/Settings/ApiKeys.js';
import { WebhooksPage } from './pages/Settings/Webhooks.js';
import { SigningSecretPage } from './pages/Settings/SigningSecret.js';
import { CardsPage } from './pages/Settings/Cards.js';
import { IntegrationPage } from './pages/Settings/Integration.js';
import { IntegrationLogPage } from './pages/Settings/IntegrationLog.js';
import { ProjectEditPage } from './pages/Settings/ProjectEdit.js';
import { ProjectsPage } from './pages/Settings/Projects.js';
import { connectSocket, disconnectSocket } from './realtime/socket.js';
import { $inbox, loadInbox, setInboxStatus } from './stores/inbox.js';
import { loadProjects } from './stores/projects.js';
import { resetSignedInStores } from './stores/reset.js';
import { $route, hrefOf, navigate } from './stores/route.js';
import { $session, loadSession } from './stores/session.js';

export function App() {
  const session = useStore($session);
  const route = useStore($route);
  const [bootError, setBootError] = useState(false);

  useEffect(() => {
    loadSession().catch(() => setBootError(true));
  }, []);

  useEffect(() => {
    if (session.status === 'authenticated' && route.name === 'login') {
      navigate({ name: 'inbox', status: 'open' }, true);
    }
  }, [session.status, route.name]);

  if (bootError) {
    return (
      <main class="boot">
        <p>Cannot reach the Palaver server.</p>
        <button type="button" class="button" onClick={() => location.reload()}>
          Reload
        </button>
      </main>
    );
  }
  if (session.status === 'loading') {
    return (
      <main class="boot" aria-busy="true">
        <span class="brand-mark boot-mark" aria-hidden="true" />
        <p>Loading…</p>
      </main>
    );
  }
  if (session.status === 'anonymous') return <Login expired={session.expired} />;
  return <Workspace session={session.session} />;
}

/** Everything behind sign-in; mounting it starts the live connection, unmounting forgets state. */
function Workspace({ session }: { session: AuthSession }) {
  const route = useStore($route);
  const inbox = useStore($inbox);
  const { agent } = session;

  useEffect(() => {
    connectSocket();
    void loadProjects().catch(() => undefined);
    void loadInbox($inbox.get().status);
    return () => {
      disconnectSocket();
      resetSignedInStores();
    };
  }, [agent.id]);

  useEffect(() => {
    if (route.name === 'inbox') setInboxStatus(route.status);
  }, [route]);

  const unread = inbox.open.items.reduce((sum, c) => sum + c.unreadForAgents, 0);
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Palaver` : 'Palaver';
  }, [unread]);

  return (
    <Shell agent={agent} unread={unread}>
      <Page session={session} />
    </Shell>
  );
}

function Page({ session }: { session: AuthSession }) {
  const route = useStore($route);
  const isAdmin = session.agent.role === 'admin';
  switch (route.name) {
    case 'inbox':
    case 'login':
      return (
        <div class="split">
          <Inbox />
          <div class="thread-placeholder">
            <div class="empty">
              <span class="empty-icon empty-icon-large">
                <Icon name="chat" size={28} />
              </span>
              <p class="empty-title">Pick a conversation</p>
              <p class="empty-text">Choose a conversation on the left to read and reply.</p>
            </div>
          </div>
        </div>
      );
    case 'conversation':
      return (
        <div class="split split-conversation">
          <Inbox />
          <ConversationPage id={route.id} />
        </div>
      );
    case 'contacts':
      return <ContactsPage />;
    case 'contact':
      return (
        <ContactPage projectId={route.projectId} externalId={route.externalId} isAdmin={isAdmin} />
      );
    case 'projects':
      return isAdmin ? <ProjectsPage /> : <AdminOnly />;
    case 'project':
      return isAdmin ? (
        <ProjectEditPage id={route.id} publicUrl={session.publicUrl} />
      ) : (
        <AdminOnly />
      );
    case 'integration':
      return isAdmin ? <IntegrationPage id={route.id} /> : <AdminOnly />;
    case 'integration-log':
      return isAdmin ? <IntegrationLogPage id={route.id} /> : <AdminOnly />;
    case 'api-keys':
      return isAdmin ? <ApiKeysPage id={route.id} /> : <AdminOnly />;
    case 'signing-secret':
      return isAdmin ? <SigningSecretPage id={route.id} /> : <AdminOnly />;
    case 'cards':
      return isAdmin ? <CardsPage id={route.id} /> : <AdminOnly />;
    case 'webhooks':
      return isAdmin ? <WebhooksPage id={route.id} /> : <AdminOnly />;
    case 'agents':
      return isAdmin ? <AgentsPage me={session.agent} /> : <AdminOnly />;
    case 'not-found':
      return (
        <div class="page">
          <div class="empty">
            <p class="empty-title">Page not found</p>
            <a class="button" href={hrefOf({ name: 'inbox', status: 'open' })}>
              Go to the inbox
            </a>
          </div>
        </div>
      );
  }
}

function AdminOnly() {
  return (
    <div class="page">
      <div class="empty">
        <p class="empty-title">Admins only</p>
        <p class="empty-text">Ask an admin of your team to change these settings.</p>
      </div>
    </div>
  );
}
