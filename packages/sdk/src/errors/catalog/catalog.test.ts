import { describe, expect, it } from 'vitest';
import { BatonError, hasCode } from '../baton-error';
import {
  CATALOG_AREAS,
  ERROR_CATALOG,
  errorAnchor,
  errorDescriptions,
  errorEntry,
  HTTP_ERROR_STATUS,
} from './index';

describe('ERROR_CATALOG', () => {
  it('describes each code in one area only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [area, codes] of Object.entries(CATALOG_AREAS)) {
      for (const code of Object.keys(codes)) {
        if (seen.has(code)) twice.push(`${code} (${seen.get(code)}, ${area})`);
        seen.set(code, area);
      }
    }
    expect(twice).toEqual([]);
    expect(Object.keys(ERROR_CATALOG)).toHaveLength(seen.size);
  });

  it('gives statuses only from 4xx/5xx and exit codes from 1 to 125', () => {
    for (const [code, entry] of Object.entries(ERROR_CATALOG) as [
      string,
      { status?: number; exitCode?: number },
    ][]) {
      if (entry.status !== undefined)
        expect([code, entry.status >= 400 && entry.status < 600]).toEqual([code, true]);
      if (entry.exitCode !== undefined)
        expect([code, entry.exitCode >= 1 && entry.exitCode <= 125]).toEqual([code, true]);
    }
  });

  it('maps codes with a status, and only those', () => {
    expect(HTTP_ERROR_STATUS.RUN_NOT_FOUND).toBe(404);
    expect(HTTP_ERROR_STATUS.BACKEND_UNAVAILABLE).toBe(503);
    expect(Object.hasOwn(HTTP_ERROR_STATUS, 'HUB_INVALID')).toBe(false);
  });

  it('derives the docs anchor from the code as GitHub does', () => {
    expect(errorAnchor('RUN_NOT_FOUND')).toBe('run_not_found');
    expect(errorAnchor('HTTP_<status>')).toBe('http_status');
  });

  it('gives views of descriptions and nothing for connector codes', () => {
    expect(errorDescriptions(['NOT_FOUND'])).toEqual({ NOT_FOUND: 'No such route.' });
    expect(errorEntry('BAMBOOHR_NOT_FOUND')).toBeUndefined();
  });
});

describe('BatonError and the catalog', () => {
  it('takes retryable from the catalog unless told', () => {
    expect(new BatonError('x', { code: 'BACKEND_UNAVAILABLE' }).retryable).toBe(true);
    expect(new BatonError('x', { code: 'RUN_NOT_FOUND' }).retryable).toBe(false);
    expect(new BatonError('x', { code: 'BACKEND_UNAVAILABLE', retryable: false }).retryable).toBe(false);
    expect(new BatonError('x', { code: 'ACME_DOWN' }).retryable).toBe(false);
  });

  it('hasCode recognises by marker and code, also an error from another copy of the SDK', () => {
    const error = new BatonError('x', { code: 'RUN_NOT_FOUND' });
    // What a second copy of the SDK makes: another class, the same registered marker.
    const foreign = Object.assign(new Error('y'), {
      code: 'RUN_NOT_FOUND',
      [Symbol.for('baton.error')]: true,
    });
    expect(hasCode(error, 'RUN_NOT_FOUND', 'FLOW_NOT_FOUND')).toBe(true);
    expect(hasCode(foreign, 'RUN_NOT_FOUND')).toBe(true);
    expect(hasCode(error, 'FLOW_NOT_FOUND')).toBe(false);
    expect(hasCode(error)).toBe(true);
    expect(hasCode(Object.assign(new Error('z'), { code: 'RUN_NOT_FOUND' }), 'RUN_NOT_FOUND')).toBe(false);
  });
});
