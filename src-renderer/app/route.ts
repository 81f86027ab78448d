// Hash routes: `#/` the flight deck, `#/report/<id>` a printable report. Hash routing works the
// same from file:// (Electron) and from the service.
import { useEffect, useState } from 'react';

export type Route = { page: 'deck' } | { page: 'report'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/report\/(.+)$/.exec(hash);
  if (m) {
    try {
      return { page: 'report', id: decodeURIComponent(m[1]!) };
    } catch {
      return { page: 'deck' };
    }
  }
  return { page: 'deck' };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}
