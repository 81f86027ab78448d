// Structural sharing: keep the previous objects wherever the new status is deep-equal to them,
// so a selector of `routes.metrics.pipe` returns the same object (and its panel does not
// re-render) when only the socket's numbers moved.
export function replaceEqualDeep<T>(prev: T, next: T): T {
  if (Object.is(prev, next)) return prev;
  if (Array.isArray(prev) && Array.isArray(next)) {
    if (prev.length !== next.length) return next.map((v, i) => (i < prev.length ? replaceEqualDeep(prev[i], v) : v)) as T;
    let same = true;
    const out = next.map((v, i) => {
      const shared = replaceEqualDeep(prev[i], v);
      if (shared !== prev[i]) same = false;
      return shared;
    });
    return (same ? prev : out) as T;
  }
  if (isPlain(prev) && isPlain(next)) {
    const prevKeys = Object.keys(prev);
    const nextKeys = Object.keys(next);
    let same = prevKeys.length === nextKeys.length;
    const out: Record<string, unknown> = {};
    for (const k of nextKeys) {
      const shared = replaceEqualDeep(prev[k], next[k]);
      out[k] = shared;
      if (shared !== prev[k] || !(k in prev)) same = false;
    }
    return (same ? prev : out) as T;
  }
  return next;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && Object.getPrototypeOf(x) === Object.prototype;
}
