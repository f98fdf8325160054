import { describe, expect, it } from 'vitest';
import { layout } from '../src/connect/pages.js';
import { contrastRatio, textColorOn } from '../src/shared/contrast.js';

describe('text on a brand accent meets WCAG AA (4.5:1)', () => {
  it('matches the WCAG reference values', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#fff', '#ffffff')).toBe(1);
  });

  it('light accents get dark text, dark accents white text, each at least 4.5:1', () => {
    expect(textColorOn('#ffd43b')).not.toBe('#ffffff'); // yellow: white would be 1.5:1
    expect(textColorOn('#3b5bdb')).toBe('#ffffff');
    for (const accent of [
      '#ffd43b',
      '#a5d8ff',
      '#63e6be',
      '#0b7285',
      '#3b5bdb',
      '#e03131',
      '#f08c00',
      '#ffffff',
    ]) {
      expect(contrastRatio(accent, textColorOn(accent)), accent).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('the hosted pages use it for their buttons', () => {
    const page = layout({ title: 't', appName: 'A', branding: { accentColor: '#ffd43b' } }, '<p>x</p>');
    expect(page).toMatch(/background:#ffd43b;color:#111418/);
  });
});
