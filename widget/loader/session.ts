import type { StartSessionRequest, StartSessionResponse } from '../../protocol/index.js';

/** What survives a page load: the visitor token and whose it is. Never put in a URL. */
export interface Stored {
  token: string;
  externalUserId: string | null;
}

const key = (projectId: string) => `palaver:${projectId}:visitor`;

// Storage may be disabled or full (private modes, sandboxed frames): the chat then lasts a page.
const safely = <T>(run: () => T): T | null => {
  try {
    return run();
  } catch {
    return null;
  }
};

export const readStored = (projectId: string): Stored | null =>
  safely(() => {
    const stored = JSON.parse(localStorage.getItem(key(projectId)) ?? '0') as Stored | 0;
    return stored && typeof stored.token === 'string' ? stored : null;
  });

export const writeStored = (projectId: string, stored: Stored | null): void =>
  void safely(() =>
    stored
      ? localStorage.setItem(key(projectId), JSON.stringify(stored))
      : localStorage.removeItem(key(projectId)),
  );

/** A refusal only the site owner can fix (unknown project, origin not allowed): do not retry. */
export interface SessionError extends Error {
  final: boolean;
}

/**
 * Starts or resumes the visitor. A string body goes as `text/plain;charset=UTF-8`, which makes a
 * CORS simple request: one round trip, no preflight. No cookies cross sites.
 */
export async function startSession(
  apiOrigin: string,
  // Undefined fields are left out by JSON.stringify.
  request: { [K in keyof StartSessionRequest]: StartSessionRequest[K] | undefined },
): Promise<StartSessionResponse> {
  const response = await fetch(`${apiOrigin}/api/widget/sessions`, {
    method: 'POST',
    body: JSON.stringify(request),
    credentials: 'omit',
  });
  const body = (await response.json().catch(() => ({}))) as StartSessionResponse & {
    error?: { message: string };
  };
  if (response.ok && body.visitorToken) return body;
  const { status } = response;
  throw Object.assign(Error(body.error?.message ?? `HTTP ${status}`), {
    final: status < 500 && status !== 429,
  });
}
