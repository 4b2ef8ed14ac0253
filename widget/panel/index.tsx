import { render } from 'preact';
import type { MountPanel } from '../panel-contract.js';
import { Chat } from './chat.js';
import { Panel } from './components/Panel.js';
import { panelCss } from './styles.js';

/** Entry of the lazy chunk: the loader imports this file and calls `mount`. */
export const mount: MountPanel = (host) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(panelCss);
  host.shadowRoot.adoptedStyleSheets = [...host.shadowRoot.adoptedStyleSheets, sheet];
  const chat = new Chat(host);
  const draw = (open: boolean) =>
    render(
      <Panel chat={chat} session={host.session} open={open} onClose={() => host.requestClose()} />,
      host.container,
    );
  draw(host.isOpen());
  return {
    openChanged: draw,
    destroy() {
      chat.destroy();
      render(null, host.container);
      host.shadowRoot.adoptedStyleSheets = host.shadowRoot.adoptedStyleSheets.filter(
        (s) => s !== sheet,
      );
    },
  };
};
