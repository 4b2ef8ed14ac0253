import { adoptCss, launcherCss, textOn } from './styles.js';

export interface LauncherLook {
  color: string;
  position: 'left' | 'right';
  zIndex: number;
}

export interface Launcher {
  /** Where the lazy panel renders. */
  panelContainer: HTMLElement;
  look(look: LauncherLook): void;
  show(open: boolean, unread: number): void;
  focus(): void;
  remove(): void;
}

const CHAT_ICON = 'M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z';
const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';

/** The always-present part of the widget: a shadow host and the launcher button. The unread
 * badge is drawn by the panel, which is always loaded when something is unread. */
export function createLauncher(onToggle: () => void): Launcher {
  const host = document.createElement('palaver-widget');
  const root = host.attachShadow({ mode: 'open' });
  const frame = document.createElement('div');
  const panelContainer = document.createElement('div');
  const button = document.createElement('button');
  // Built node by node: innerHTML would trip hosts that enforce Trusted Types.
  const svgNode = (tag: string) => document.createElementNS('http://www.w3.org/2000/svg', tag);
  const svg = svgNode('svg');
  const path = svgNode('path');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.append(path);
  adoptCss(root, launcherCss);
  const lookSheet = adoptCss(root, '');
  button.className = 'pv-l';
  button.type = 'button';
  button.onclick = onToggle;
  button.append(svg);
  frame.append(panelContainer, button);
  root.append(frame);
  document.body.append(host);

  return {
    panelContainer,
    look({ color, position, zIndex }) {
      lookSheet.replaceSync(
        `:host{--pv-color:${color};--pv-on-color:${textOn(color)};--pv-z:${zIndex}}`,
      );
      frame.classList.toggle('pv-left', position === 'left');
    },
    show(open, unread) {
      const count = open ? 0 : unread;
      path.setAttribute('d', open ? CLOSE_ICON : CHAT_ICON);
      button.setAttribute('aria-expanded', `${open}`);
      button.setAttribute(
        'aria-label',
        `${open ? 'Close' : 'Open'} support chat${count ? ` (${count} unread)` : ''}`,
      );
    },
    focus: () => button.focus(),
    remove: () => host.remove(),
  };
}
