import { describe, expect, it } from 'vitest';
import { parsePort, parseServerUrl, parseWholeNumber } from './options';

describe('parsePort', () => {
  it.each([
    ['0', 0],
    ['80', 80],
    ['8080', 8080],
    ['065535', 65_535],
    ['65535', 65_535],
  ])('reads %j as %d', (text, port) => {
    expect(parsePort(text)).toBe(port);
  });

  it.each([
    'eighty',
    '',
    ' 80',
    '80 ',
    '-1',
    '+80',
    '65536',
    '99999999999999999999',
    '80.0',
    '8e3',
    '0x50',
    'Infinity',
    'NaN',
  ])('refuses %j as PORT_INVALID, naming the flag and the value', (text) => {
    expect(() => parsePort(text, '--port')).toThrow(
      expect.objectContaining({
        name: 'CliError',
        code: 'PORT_INVALID',
        exitCode: 1,
        message: `--port must be a number from 0 to 65535, got "${text}"`,
      }),
    );
  });
});

describe('parseWholeNumber', () => {
  it.each([
    ['0', {}, 0],
    ['16', { min: 1 }, 16],
    ['10000', {}, 10_000],
    ['5', { min: 5, max: 5 }, 5],
  ])('reads %j with %o as %d', (text, range, value) => {
    expect(parseWholeNumber(text, '--drain', range)).toBe(value);
  });

  it.each([
    ['0', { min: 1 }, '--concurrency must be a whole number ≥ 1, got "0"'],
    ['-5', {}, '--concurrency must be a whole number ≥ 0, got "-5"'],
    ['1.5', {}, '--concurrency must be a whole number ≥ 0, got "1.5"'],
    ['1e3', {}, '--concurrency must be a whole number ≥ 0, got "1e3"'],
    ['', {}, '--concurrency must be a whole number ≥ 0, got ""'],
    ['sixteen', { min: 1 }, '--concurrency must be a whole number ≥ 1, got "sixteen"'],
    ['11', { min: 1, max: 10 }, '--concurrency must be a whole number from 1 to 10, got "11"'],
    ['99999999999999999999', {}, '--concurrency must be a whole number ≥ 0, got "99999999999999999999"'],
  ])('refuses %j with %o as OPTION_INVALID', (text, range, message) => {
    expect(() => parseWholeNumber(text, '--concurrency', range)).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID', message }),
    );
  });
});

describe('parseServerUrl', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['https://hooks.example.com/baton/', 'https://hooks.example.com/baton/'],
    ['http://[::1]:9', 'http://[::1]:9/'],
  ])('reads %j', (text, href) => {
    expect(parseServerUrl(text).href).toBe(href);
  });

  it.each([
    ['127.0.0.1:8080', '--url must be an http:// or https:// URL, got "127.0.0.1:8080"'],
    ['localhost', '--url must be an http:// or https:// URL, got "localhost"'],
    ['ftp://example.com', '--url must be an http:// or https:// URL, got "ftp://example.com"'],
    ['file:///etc/passwd', '--url must be an http:// or https:// URL, got "file:///etc/passwd"'],
    ['', '--url must be an http:// or https:// URL, got ""'],
    ['http://admin:hunter2@127.0.0.1:8080', '--url must not carry a user name or password'],
  ])('refuses %j as OPTION_INVALID', (text, message) => {
    expect(() => parseServerUrl(text)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID', message }));
  });

  it('never repeats a password it refuses', () => {
    expect(() => parseServerUrl('http://admin:hunter2@gateway')).toThrow(
      expect.not.objectContaining({ message: expect.stringContaining('hunter2') }),
    );
  });
});
