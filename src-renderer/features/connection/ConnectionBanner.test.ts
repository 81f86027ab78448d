import { describe, expect, it } from 'vitest';
import { bannerText, staleFileText } from './ConnectionBanner';

describe('the connection banner', () => {
  it("says when the figures come from Guardian's status file, with its age", () => {
    expect(staleFileText(false, 3)).toBeNull();
    expect(staleFileText(true, 12.4)).toBe("Read-only: Guardian's service is not answering. Showing its status file, written 12 s ago; controls are unavailable.");
    expect(staleFileText(true, 125)).toMatch(/written 2 m 05 s ago/);
    expect(staleFileText(true, null)).toMatch(/written at an unknown time/);
  });

  it('a live pulse needs no banner; a lost connection wins over the file', () => {
    const now = 100_000;
    expect(bannerText('live', now - 1000, null, now, null)).toBeNull();
    expect(bannerText('offline', now - 9000, null, now, 'ECONNREFUSED')).toMatch(/^Offline: Guardian is not answering \(ECONNREFUSED\)/);
  });
});
