// The console's Content-Security-Policy, sent as a header with every page response (the page's
// own meta tag says much the same; the stricter of the two wins). Scripts only from the app;
// inline styles allowed because React Flow and recharts position with style attributes; no
// network beyond the app itself (the console talks to Guardian over IPC, not HTTP); no frames,
// no plugins, no forms, no base-tag tricks.
export function consoleCsp(devServerOrigin?: string): string {
  const self = devServerOrigin ? `'self' ${devServerOrigin}` : "'self'";
  // The dev server's hot reload needs its WebSocket; nothing else changes in dev.
  const connect = devServerOrigin ? `${self} ${devServerOrigin.replace(/^http/, 'ws')}` : self;
  return [
    "default-src 'none'",
    `script-src ${self}`,
    `style-src ${self} 'unsafe-inline'`,
    `img-src ${self} data: blob:`,
    `font-src ${self}`,
    `connect-src ${connect}`,
    "object-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Response headers with our CSP (replacing any the server sent) and nosniff. */
export function withSecurityHeaders(headers: Record<string, string[] | string> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    const key = k.toLowerCase();
    if (key === 'content-security-policy' || key === 'x-content-type-options') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [csp];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}
