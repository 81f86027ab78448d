// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { takeToken } from './token';

afterEach(() => { sessionStorage.clear(); history.replaceState(null, '', '/'); });

describe('takeToken', () => {
  it('takes the token from the URL, keeps it for the session and removes it from the address bar', () => {
    history.replaceState(null, '', '/?token=abc123&fake=0#/report/INC-1');
    expect(takeToken(location, sessionStorage, history)).toBe('abc123');
    expect(location.search).toBe('?fake=0');
    expect(location.hash).toBe('#/report/INC-1');
    expect(takeToken(location, sessionStorage, history)).toBe('abc123');
  });

  it('has no token when none was given', () => {
    expect(takeToken(location, sessionStorage, history)).toBeNull();
  });
});
