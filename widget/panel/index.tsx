import { render } from 'preact';
import type { MountPanel } from '../panel-contract.js';
import { Chat } from './chat.js';
import { Panel } from './components/Panel.js';
import { panelCss } from './styles.js';

/** Entry of the lazy chunk: the loader imports this file and calls `mount`. */
export const mount: MountPanel = (host) => {
  const root = host.container.getRootNode() as ShadowRoot;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(panelCss);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const chat = new Chat(host);
  return {
    openChanged(open) {
      chat.open = open;
      render(
        <Panel chat={chat} session={host.session} open={open} onClose={() => host.close()} />,
        host.container,
      );
    },
    destroy() {
      chat.destroy();
      render(null, host.container);
      root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
    },
  };
};
