import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { queueStubSource } from '../../widget/snippet.js';

export interface HostSite {
  origin: string;
  close(): Promise<void>;
}

/**
 * A third-party site embedding the widget the hard way: a strict CSP (no inline script or
 * style), a stylesheet that tries to unset everything, and huge z-indexes of its own.
 */
export async function startHostileSite(palaverUrl: string, projectId: string): Promise<HostSite> {
  const pages: Record<string, { type: string; body: string; csp?: string }> = {
    '/': {
      type: 'text/html',
      csp: `default-src 'self'; script-src 'self' ${palaverUrl}; style-src 'self'; connect-src 'self' ${palaverUrl} ${palaverUrl.replace(/^http/, 'ws')}; img-src 'self' data:`,
      body: `<!doctype html><html><head><meta charset="utf-8"><title>Hostile host</title>
<link rel="stylesheet" href="/hostile.css"></head>
<body><h1>A page that fights back</h1><div class="overlay">Overlay with z-index 2147483647</div>
<script src="/embed.js"></script>
<script async src="${palaverUrl}/widget/widget.js" data-project="${projectId}"></script>
</body></html>`,
    },
    '/embed.js': {
      type: 'text/javascript',
      body: `${queueStubSource}\nPalaver('init', { projectId: ${JSON.stringify(projectId)} });\n`,
    },
    '/hostile.css': {
      type: 'text/css',
      body: `* { all: unset !important; }
html, body { display: block !important; font-size: 40px !important; color: lime !important; }
div, button, textarea, span, palaver-widget { z-index: 2147483647 !important; }
.overlay { position: fixed !important; top: 0 !important; left: 0 !important; width: 200px !important; height: 60px !important; background: red !important; display: block !important; }
button { display: none !important; }
textarea { font-size: 1px !important; }`,
    },
  };
  const server: Server = createServer((req, res) => {
    const page = pages[(req.url ?? '/').split('?')[0] ?? '/'];
    if (!page) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': `${page.type}; charset=utf-8`,
      ...(page.csp ? { 'content-security-policy': page.csp } : {}),
    });
    res.end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
