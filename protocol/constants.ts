/**
 * Plain values with no zod import, so that the widget (which ships no zod) can share them with the
 * schemas that re-export them.
 */

/** Longest message body, in characters, accepted from anyone. */
export const MESSAGE_MAX_LENGTH = 4000;
/** Soft cap on one WebSocket frame; bigger frames get an error frame, not a closed socket. */
export const FRAME_MAX_BYTES = 16 * 1024;

/** How the launcher looks until the project's own settings arrive. */
export const DEFAULT_LAUNCHER_LOOK = {
  color: '#4f46e5',
  position: 'right' as 'right' | 'left',
  zIndex: 2147483000,
};

export const DEFAULT_GREETING = 'Hi! How can we help?';

/** WebSocket paths. Visitors authenticate in the first frame; agents by session cookie. */
export const VISITOR_SOCKET_PATH = '/ws/visitor';
export const AGENT_SOCKET_PATH = '/ws/agent';

/**
 * Client-side liveness: a client pings after `idleMs` without a frame from the server, and right
 * after it sends a message; hearing nothing within `deadlineMs` means the connection is dead
 * (closed without a close: sleep, NAT timeout, a proxy dropping it), so it reconnects at once.
 */
export const HEARTBEAT = { idleMs: 15_000, deadlineMs: 6_000 } as const;

/** Close codes beyond the RFC 6455 ones. */
export const CloseCode = {
  /** Server restarting (RFC 6455 "Service Restart"): reconnect with backoff. */
  restart: 1012,
  /** The server could not serve this socket right now (RFC 6455 "Try Again Later"). */
  tryAgain: 1013,
  /** Token or session invalid: do not reconnect until the user acts. */
  unauthorized: 4401,
  /** Page origin is not allowed for this project. */
  forbiddenOrigin: 4403,
  /** No auth frame arrived in time. */
  authTimeout: 4408,
} as const;
