import { existsSync } from 'node:fs';
import { join } from 'node:path';
import compression from 'compression';
import express, { Router } from 'express';

/**
 * The built front-ends. The widget is loaded by other sites (CORS-open; the loader is cached
 * briefly so releases roll out, the hashed panel forever); the console gets a strict CSP.
 */
export function assetsRouter(distDir: string): Router {
  const router = Router();
  // The widget's byte budgets are what a visitor downloads: compressed (brotli or gzip).
  router.use(['/widget', '/agent'], compression());
  const widgetDir = join(distDir, 'widget');
  const agentDir = join(distDir, 'agent');

  router.use(
    '/widget',
    express.static(widgetDir, {
      index: false,
      dotfiles: 'ignore',
      setHeaders(res, path) {
        res.set('Access-Control-Allow-Origin', '*');
        res.set('Cross-Origin-Resource-Policy', 'cross-origin');
        res.set(
          'Cache-Control',
          path.endsWith('widget.js')
            ? 'public, max-age=300'
            : 'public, max-age=31536000, immutable',
        );
      },
    }),
  );

  router.use('/agent', (_req, res, next) => {
    res.set(
      'Content-Security-Policy',
      "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' https: data:; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    res.set('X-Content-Type-Options', 'nosniff');
    res.set('Referrer-Policy', 'same-origin');
    next();
  });
  router.use('/agent', express.static(agentDir, { index: false, dotfiles: 'ignore' }));
  router.get(['/agent', '/agent/{*rest}'], (_req, res) => {
    const index = join(agentDir, 'index.html');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send('The agent console is not built yet: run `npm run build`.');
      return;
    }
    res.sendFile(index);
  });
  router.get('/', (_req, res) => res.redirect('/agent/'));
  return router;
}
