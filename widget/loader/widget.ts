import type {
  MountPanel,
  PanelInstance,
  VisitorSession,
  WidgetEventName,
} from '../panel-contract.js';
import { DEFAULT_LAUNCHER_LOOK } from '../../protocol/constants.js';
import { createLauncher, type Launcher } from './launcher.js';
import type { IdentityOptions, InitOptions } from './options.js';
import { readStored, startSession, writeStored, type SessionError } from './session.js';

export const warn = (message: string): void => console.warn(`[Palaver] ${message}`);

type Listener = (payload?: unknown) => void;

export interface Widget {
  projectId: string;
  /** Sign-in after page load, or `init` again: a clean switch to the new user's visitor. */
  identify(options: InitOptions | IdentityOptions): void;
  /** Sign-out: forget the visitor on this device and continue anonymously. */
  reset(): void;
  setOpen(open: boolean): void;
  on(event: WidgetEventName, listener: Listener): void;
  shutdown(): void;
}

function withoutIdentity(options: InitOptions): InitOptions {
  const { externalUserId: _id, userToken: _token, userHash: _hash, ...rest } = options;
  return rest;
}

/**
 * One embedded widget: the launcher, the visitor session, open/closed state and the lazy panel.
 * Written as a closure rather than a class so that the minifier can shorten every name: the
 * loader's budget is 3 KB.
 */
export function createWidget(apiOrigin: string, initial: InitOptions): Widget {
  let options = initial;
  let launcher: Launcher | null = null;
  let session: VisitorSession | null = null;
  let panel: PanelInstance | null = null;
  let panelLoading: Promise<void> | null = null;
  let open = false;
  let unread = 0;
  /** The project's look once known; kept across identity switches so nothing flickers. */
  let look = DEFAULT_LAUNCHER_LOOK;
  /** Bumped on every identity change so that a late answer for the previous user is dropped. */
  let generation = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const listeners: Partial<Record<WidgetEventName, Listener[]>> = {};

  const call = (listener: Listener, payload?: unknown) => {
    try {
      listener(payload);
    } catch (error) {
      // A site's handler must not break the chat: report it and go on.
      console.error('[Palaver]', error);
    }
  };
  const emit = (event: WidgetEventName, payload?: unknown) =>
    listeners[event]?.forEach((listener) => call(listener, payload));
  const readyPayload = () => ({ visitorId: session!.visitorId, identity: session!.identity });

  const draw = (): void => {
    // Drawn at once in the default look (or the page's options), restyled when the project's
    // look arrives with the session; removed if the project refuses this page.
    if (generation < 0) return;
    if (!document.body) return document.addEventListener('DOMContentLoaded', draw, { once: true });
    launcher ??= createLauncher(() => setOpen(!open));
    launcher.look({ ...look, ...options });
    launcher.show(open, unread);
  };

  const setUnread = (count: number) => {
    if (count === unread) return;
    unread = count;
    draw();
    emit('unread', count);
  };

  const ensurePanel = (): Promise<void> | undefined => {
    const current = session;
    const host = launcher;
    if (panel || !current || !host) return;
    const mine = generation;
    return (panelLoading ??= import(
      /* @vite-ignore */ `${apiOrigin}/widget/${__PALAVER_PANEL_FILE__}`
    )
      .then(({ mount }: { mount: MountPanel }) => {
        if (mine !== generation) return;
        panel = mount({
          container: host.panelContainer,
          session: current,
          close: () => setOpen(false),
          setUnread,
          emit,
          sessionLost: () => {
            writeStored(options.projectId, null);
            restart();
          },
        });
        panel.openChanged(open);
      })
      .catch((error: unknown) => {
        panelLoading = null;
        warn(String(error));
      }));
  };

  const start = async (attempt: number): Promise<void> => {
    const mine = generation;
    if (mine < 0) return;
    const { projectId, externalUserId, userToken, userHash } = options;
    const locale = options.locale ?? navigator.language;
    const stored = readStored(projectId);
    // A token minted for another user must not carry that user's conversation over.
    const reuse = stored && (!stored.externalUserId || stored.externalUserId === externalUserId);
    try {
      const answer = await startSession(apiOrigin, {
        projectId,
        visitorToken: reuse ? stored.token : undefined,
        externalUserId,
        userToken,
        userHash,
        // The fragment often holds tokens (OAuth implicit flow, reset links): it never leaves.
        pageUrl: location.href.split('#')[0]!.slice(0, 2048),
        referrer: document.referrer.slice(0, 2048) || undefined,
        locale,
      });
      if (mine !== generation) return;
      writeStored(projectId, {
        token: answer.visitorToken,
        externalUserId: externalUserId ?? null,
      });
      if (answer.notice) warn(answer.notice);
      session = { ...answer, apiOrigin, locale };
      look = answer.project.widget;
      draw();
      setUnread(answer.conversation?.unread ?? 0);
      emit('ready', readyPayload());
      // An ongoing conversation needs the socket for live replies even while the panel is shut.
      if (open || answer.conversation) await ensurePanel();
    } catch (error) {
      if (mine !== generation) return;
      if ((error as SessionError).final) {
        warn((error as Error).message);
        widget.shutdown();
        return;
      }
      retryTimer = setTimeout(
        () => void start(attempt + 1),
        Math.min(30_000, 500 * 2 ** attempt) * (1 + Math.random()),
      );
    }
  };

  const restart = () => {
    generation++;
    clearTimeout(retryTimer);
    panel?.destroy();
    panel = panelLoading = session = null;
    setUnread(0);
    void start(0);
  };

  const setOpen = (next: boolean) => {
    if (next === open) return;
    open = next;
    draw();
    if (open) void ensurePanel();
    panel?.openChanged(open);
    if (!open) launcher?.focus();
    emit(open ? 'open' : 'close');
  };

  const widget: Widget = {
    projectId: options.projectId,
    identify(next) {
      const sameUser = next.externalUserId === options.externalUserId;
      options = { ...withoutIdentity(options), ...next };
      if (!sameUser) restart();
    },
    reset() {
      writeStored(options.projectId, null);
      options = withoutIdentity(options);
      restart();
    },
    setOpen,
    on(event, listener) {
      (listeners[event] ??= []).push(listener);
      if (event === 'ready' && session) call(listener, readyPayload());
    },
    shutdown() {
      generation = -1;
      clearTimeout(retryTimer);
      panel?.destroy();
      launcher?.remove();
      launcher = null;
    },
  };

  // Separate tasks, so that the page's own work never waits on one long one of ours. A restart
  // (identify, reset) before the first start clears it like a retry, so only one session starts.
  setTimeout(draw);
  retryTimer = setTimeout(() => void start(0));
  return widget;
}
