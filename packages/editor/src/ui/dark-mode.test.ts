import { isHubspokeError } from '@hubspoke/core';
import { describe, expect, it } from 'vitest';
import { applyDarkMode, invertLightness, parseColor } from './dark-mode.js';

describe('simulated dark mode', () => {
  it('reads computed colours, with and without alpha', () => {
    expect(parseColor('rgb(255, 255, 255)')).toEqual({ r: 255, g: 255, b: 255, a: 1 });
    expect(parseColor('rgba(0, 0, 0, 0)')).toEqual({ r: 0, g: 0, b: 0, a: 0 });
    expect(parseColor('transparent')).toBeUndefined();
  });

  it('mirrors lightness within the floor: white turns near-black, black near-white', () => {
    expect(invertLightness({ r: 255, g: 255, b: 255, a: 1 })).toBe('rgb(20, 20, 20)');
    expect(invertLightness({ r: 0, g: 0, b: 0, a: 1 })).toBe('rgb(235, 235, 235)');
  });

  it('refuses what is not a rendered document with E_VALIDATION, never a raw TypeError', () => {
    for (const value of [null, undefined, 42, 'html', {}, { defaultView: {} }]) {
      let thrown: unknown;
      try {
        applyDarkMode(value as unknown as Document);
      } catch (error) {
        thrown = error;
      }
      expect(isHubspokeError(thrown) && thrown.code === 'E_VALIDATION').toBe(true);
    }
    // A document not shown in a window has nothing painted: nothing to do.
    expect(() => {
      applyDarkMode({ defaultView: null } as unknown as Document);
    }).not.toThrow();
  });
});
