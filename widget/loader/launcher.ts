import { adoptCss, launcherCss, textOn } from './styles.js';

export interface LauncherLook {
  color: string;
  position: 'left' | 'right';
  zIndex: number;
}

export interface Launcher {
  root: ShadowRoot;
  /** Where the lazy panel renders. */
  panelContainer: HTMLElement;
  look(look: LauncherLook): void;
  show(open: boolean, unread: number): void;
  focus(): void;
  remove(): void;
}

const CHAT_ICON = 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z';
const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';

/** The always-present part of the widget: a shadow host, the launcher button and its badge. */
export function createLauncher(onToggle: () => void): Launcher {
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className = '') =>
    Object.assign(document.createElement(tag), { className });
  const host = document.createElement('palaver-widget');
  const root = host.attachShadow({ mode: 'open' });
  const frame = el('div');
  const panelContainer = el('div');
  const button = el('button', 'pv-l');
  const badge = el('span', 'pv-b');
  // Built node by node: innerHTML would trip hosts that enforce Trusted Types.
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.append(path);
  adoptCss(root, launcherCss);
  const lookSheet = adoptCss(root, '');
  button.type = 'button';
  button.onclick = onToggle;
  badge.setAttribute('aria-hidden', 'true');
  button.append(svg, badge);
  frame.append(panelContainer, button);
  root.append(frame);
  document.body.append(host);

  return {
    root,
    panelContainer,
    look({ color, position, zIndex }) {
      lookSheet.replaceSync(
        `:host{--pv-color:${color};--pv-on-color:${textOn(color)};--pv-z:${zIndex}}`,
      );
      frame.classList.toggle('pv-left', position === 'left');
    },
    show(open, unread) {
      const count = open ? 0 : unread;
      frame.classList.toggle('pv-open', open);
      path.setAttribute('d', open ? CLOSE_ICON : CHAT_ICON);
      button.setAttribute('aria-expanded', String(open));
      button.setAttribute(
        'aria-label',
        open ? 'Close support chat' : `Open support chat${count ? ` (${count} unread)` : ''}`,
      );
      badge.textContent = count ? (count > 9 ? '9+' : String(count)) : '';
    },
    focus: () => button.focus(),
    remove: () => host.remove(),
  };
}
