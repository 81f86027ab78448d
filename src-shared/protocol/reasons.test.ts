import { describe, expect, it } from 'vitest';
import { REASON_TEXT, reasonText } from './reasons';

describe('REASON_TEXT', () => {
  it('gives every code a one-line sentence that says what happened and what to do', () => {
    const entries = Object.entries(REASON_TEXT);
    expect(entries.length).toBe(16);
    for (const [code, text] of entries) {
      expect(text, code).toMatch(/^[A-Z].{40,300}\.$/);
      expect(text, code).not.toMatch(/\n/);
      expect(text.split('. ').length, `${code} names a fix`).toBeGreaterThanOrEqual(2);
    }
  });

  it('states the frame-size limit the framing enforces', () => {
    expect(REASON_TEXT.FRAME_SIZE).toContain('65,536 bytes');
    expect(REASON_TEXT.FRAME_SIZE).toContain('4-byte little-endian length');
  });
});

describe('reasonText', () => {
  it('returns the known text, or a generic line naming an unknown code', () => {
    expect(reasonText('BAD_JSON')).toBe(REASON_TEXT.BAD_JSON);
    expect(reasonText('QUANTUM_BLOCK')).toContain('"QUANTUM_BLOCK"');
    expect(reasonText('toString')).toContain('"toString"');
  });
});
