// The bearer token for the headless service: handed over once as `?token=` (the CLI prints that
// link), then kept in sessionStorage and taken out of the address bar so it is not bookmarked,
// shared in a screenshot or left in the history.
const KEY = 'guardian.token';

export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(history.state, '', url.toString());
    return fromUrl;
  }
  return storage.getItem(KEY);
}
