import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';

/**
 * The dashboard's files, beside this module's folder both in the source tree (tsx) and
 * in dist (`npm run build` copies them there), so one URL works for both.
 */
export const DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

/**
 * Serves the dashboard at `/` (index.html, dashboard.js, dashboard.css). Only GET and
 * HEAD outside the API; a missing folder answers `/` with a 503 saying so, checked per
 * request so a dashboard built after the gateway started is served at once.
 */
export function dashboardStatic(dir = DASHBOARD_DIR) {
  const files = express.static(dir, {
    index: 'index.html',
    fallthrough: true,
    etag: true,
    maxAge: 0,
  });
  return (request: Request, response: Response, next: NextFunction): void => {
    const method = request.method;
    if ((method !== 'GET' && method !== 'HEAD') || request.path.startsWith('/api/')) {
      next();
      return;
    }
    if (request.path === '/' && !existsSync(`${dir}/index.html`)) {
      response
        .status(503)
        .type('text/plain')
        .send('The dashboard is not built: apps/gateway/src/dashboard/index.html is missing.\n');
      return;
    }
    files(request, response, next);
  };
}
