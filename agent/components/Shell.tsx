import { useStore } from '@nanostores/preact';
import type { ComponentChildren } from 'preact';
import type { Agent } from '../../protocol/index.js';
import { $connection, type ConnectionStatus } from '../stores/connection.js';
import { $route, hrefOf, type Route } from '../stores/route.js';
import { logout } from '../stores/session.js';
import { NotificationBanner } from './NotificationBanner.js';

const CONNECTION_TEXT: Record<ConnectionStatus, string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  online: 'Live',
  offline: 'Reconnecting…',
};

function section(route: Route): 'inbox' | 'projects' | 'agents' | null {
  if (route.name === 'inbox' || route.name === 'conversation') return 'inbox';
  if (route.name === 'projects' || route.name === 'project') return 'projects';
  if (route.name === 'agents') return 'agents';
  return null;
}

function NavLink(props: { href: string; active: boolean; children: ComponentChildren }) {
  return (
    <a
      class={props.active ? 'nav-link is-active' : 'nav-link'}
      href={props.href}
      aria-current={props.active ? 'page' : undefined}
    >
      {props.children}
    </a>
  );
}

export function Shell(props: { agent: Agent; unread: number; children: ComponentChildren }) {
  const { agent } = props;
  const route = useStore($route);
  const connection = useStore($connection);
  const current = section(route);
  return (
    <div class="shell">
      <nav class="nav" aria-label="Main">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true" />
          Palaver
        </div>
        <NavLink href={hrefOf({ name: 'inbox', status: 'open' })} active={current === 'inbox'}>
          <span>Inbox</span>
          {props.unread > 0 ? <span class="pill pill-nav">{props.unread}</span> : null}
        </NavLink>
        {agent.role === 'admin' ? (
          <>
            <p class="nav-group">Settings</p>
            <NavLink href={hrefOf({ name: 'projects' })} active={current === 'projects'}>
              Projects
            </NavLink>
            <NavLink href={hrefOf({ name: 'agents' })} active={current === 'agents'}>
              Agents
            </NavLink>
          </>
        ) : null}
        <div class="nav-foot">
          <p class="connection" role="status" title="Live connection to the server">
            <span class={`dot dot-${connection}`} aria-hidden="true" />
            {CONNECTION_TEXT[connection]}
          </p>
          <p class="nav-agent">
            <span class="nav-agent-name">{agent.name}</span>
            <span class="nav-agent-email">{agent.email}</span>
          </p>
          <button
            type="button"
            class="button button-ghost button-small"
            onClick={() => void logout()}
          >
            Log out
          </button>
        </div>
      </nav>
      <div class="shell-main">
        <NotificationBanner />
        {props.children}
      </div>
    </div>
  );
}
