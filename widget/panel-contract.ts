import type { StartSessionResponse } from '../protocol/index.js';

/** What the loader knows once a visitor session has started; handed to the panel. */
export interface VisitorSession extends StartSessionResponse {
  apiOrigin: string;
  locale: string;
}

/** Events a site can subscribe to with `Palaver('on', name, fn)`. */
export type WidgetEventName = 'ready' | 'open' | 'close' | 'message' | 'unread';

/** The loader's side of the loader ↔ panel contract. */
export interface PanelHost {
  /** Element inside the widget's shadow root that the panel renders into. */
  container: HTMLElement;
  session: VisitorSession;
  /** The panel's own close button and Escape key go through the loader, which owns open state. */
  close(): void;
  /** Unread agent messages changed: the loader updates the launcher badge. */
  setUnread(count: number): void;
  emit(event: WidgetEventName, payload?: unknown): void;
  /** The server no longer knows this visitor token: the loader starts a fresh session. */
  sessionLost(): void;
}

/** The panel's side: what the lazy chunk's `mount` returns. The loader calls `openChanged` right
 * after mounting and on every change. */
export interface PanelInstance {
  openChanged(open: boolean): void;
  destroy(): void;
}

export type MountPanel = (host: PanelHost) => PanelInstance;
