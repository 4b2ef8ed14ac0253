import { useStore } from '@nanostores/preact';
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Agent } from '../../protocol/index.js';
import { $connection, type ConnectionStatus } from '../stores/connection.js';
import { $notifications, setSound } from '../stores/notifications.js';
import { $route, hrefOf, type Route } from '../stores/route.js';
import { logout } from '../stores/session.js';
import { Avatar } from './Avatar.js';
import { Icon, type IconName } from './Icon.js';
import { IntegrationAlert } from './IntegrationAlert.js';
import { NotificationBanner } from './NotificationBanner.js';

const CONNECTION_TEXT: Record<ConnectionStatus, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Reconnecting…',
};

function section(route: Route): 'inbox' | 'contacts' | 'projects' | 'agents' | null {
  if (route.name === 'inbox' || route.name === 'conversation') return 'inbox';
  if (route.name === 'contacts' || route.name === 'contact') return 'contacts';
  if (
    route.name === 'projects' ||
    route.name === 'project' ||
    route.name === 'integration' ||
    route.name === 'integration-log'
  ) {
    return 'projects';
  }
  if (route.name === 'agents') return 'agents';
  return null;
}

function RailLink(props: {
  href: string;
  icon: IconName;
  label: string;
  active: boolean;
  badge?: number;
}) {
  const badge = props.badge ?? 0;
  return (
    <a
      class={props.active ? 'rail-link is-active' : 'rail-link'}
      href={props.href}
      aria-current={props.active ? 'page' : undefined}
    >
      <span class="rail-icon">
        <Icon name={props.icon} size={20} />
        {badge > 0 ? (
          <span class="rail-badge" aria-hidden="true">
            {badge > 99 ? '99+' : badge}
          </span>
        ) : null}
      </span>
      <span class="rail-label">{props.label}</span>
      {/* Words for the badge, after the visible name so that the name read aloud starts with it. */}
      {badge > 0 ? <span class="sr-only">{`, ${badge} unread`}</span> : null}
    </a>
  );
}

/** The agent's own menu: who is signed in, sound preference, sign out. */
function AccountMenu({ agent }: { agent: Agent }) {
  const [open, setOpen] = useState(false);
  const connection = useStore($connection);
  const { sound } = useStore($notifications);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  return (
    <div class="account" ref={root}>
      <button
        ref={button}
        type="button"
        class="account-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-controls="account-menu"
        title={`${agent.name} · ${CONNECTION_TEXT[connection]}`}
        onClick={() => setOpen(!open)}
      >
        <Avatar label={agent.name} seed={agent.id} />
        <span class={`presence-dot dot-${connection}`} aria-hidden="true" />
        <span class="sr-only">Account: {agent.name}</span>
      </button>
      {open ? (
        <div class="account-menu" id="account-menu">
          <div class="account-who">
            <span class="strong">{agent.name}</span>
            <span class="muted ellipsis">{agent.email}</span>
            <span class="account-role">{agent.role === 'admin' ? 'Admin' : 'Agent'}</span>
          </div>
          <label class="menu-item menu-toggle">
            <Icon name={sound ? 'volume' : 'mute'} />
            <span>Sound for new messages</span>
            <input
              type="checkbox"
              class="switch"
              checked={sound}
              onChange={(e) => setSound(e.currentTarget.checked)}
            />
          </label>
          <button type="button" class="menu-item" onClick={() => void logout()}>
            <Icon name="logout" />
            <span>Log out</span>
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function Shell(props: { agent: Agent; unread: number; children: ComponentChildren }) {
  const { agent } = props;
  const route = useStore($route);
  const connection = useStore($connection);
  const current = section(route);
  return (
    <div class="shell">
      <a
        class="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <nav class="rail" aria-label="Main">
        <a class="rail-brand" href={hrefOf({ name: 'inbox', status: 'open' })} title="Palaver">
          <span class="brand-mark" aria-hidden="true" />
          <span class="sr-only">Palaver</span>
        </a>
        <RailLink
          href={hrefOf({ name: 'inbox', status: 'open' })}
          icon="inbox"
          label="Inbox"
          active={current === 'inbox'}
          badge={props.unread}
        />
        <RailLink
          href={hrefOf({ name: 'contacts' })}
          icon="contacts"
          label="Contacts"
          active={current === 'contacts'}
        />
        {agent.role === 'admin' ? (
          <>
            <RailLink
              href={hrefOf({ name: 'projects' })}
              icon="globe"
              label="Projects"
              active={current === 'projects'}
            />
            <RailLink
              href={hrefOf({ name: 'agents' })}
              icon="users"
              label="Agents"
              active={current === 'agents'}
            />
          </>
        ) : null}
        <div class="rail-foot">
          <p class="sr-only" role="status">
            {connection === 'offline' ? 'Connection lost; reconnecting' : ''}
          </p>
          <AccountMenu agent={agent} />
        </div>
      </nav>
      <div class="shell-main" id="main" tabIndex={-1}>
        {connection === 'offline' ? (
          <div class="offline-bar">Connection lost — reconnecting… Messages you send wait.</div>
        ) : null}
        {agent.role === 'admin' ? <IntegrationAlert /> : null}
        <NotificationBanner />
        {props.children}
      </div>
    </div>
  );
}
