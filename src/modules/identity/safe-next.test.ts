import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext', () => {
  it.each([
    ['/', '/'],
    ['/registry/persons?q=%E5%B1%B1', '/registry/persons?q=%E5%B1%B1'],
    ['/a/../b', '/b'],
    ['/cases#top', '/cases#top'],
  ])('keeps the same-site path %j', (input, expected) => {
    expect(safeNext(input)).toBe(expected);
  });

  it.each([
    'https://evil.example/',
    '//evil.example/',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'registry',
    '/\t/evil.example',
    '',
    undefined,
    ['/'],
  ])('refuses %j', (input) => {
    expect(safeNext(input)).toBeUndefined();
  });
});
