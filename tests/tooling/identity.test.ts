import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeIdentity } from '../../tooling/token/identity';
import { miniBlake3 } from './support/mini-blake3';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** The identity algorithm spelled out again on top of the separate BLAKE3 in support/mini-blake3.ts. */
function independentIdentity(iss: string, sub: string): string {
  const h = miniBlake3(new TextEncoder().encode(`${iss}|${sub}`));
  const checksum = miniBlake3(Uint8Array.from([0xc2, 0x00, ...h.subarray(0, 26)]));
  return hex(Uint8Array.from([0xc2, 0x00, ...checksum.subarray(0, 4), ...h.subarray(0, 26)]));
}

test('the separate BLAKE3 used as a reference gives the published hash of the empty input', () => {
  assert.equal(hex(miniBlake3(new Uint8Array())), 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
});

test('identity of iss example.com, sub 123 is the documented vector', () => {
  const expected = 'c200ef884364c1a99be0298dc68f2004e6b97c09d1b1658b7db22f51fb662059';
  assert.equal(computeIdentity('example.com', '123'), expected);
  assert.equal(independentIdentity('example.com', '123'), expected);
});

test('identity matches the independent derivation for other issuers and subjects', () => {
  const cases: [string, string][] = [
    ['localhost', '5c8b4e2a-7f3d-4a1b-9c6e-0d2f8a7b3e41'],
    ['localhost', '00000000-0000-4000-8000-000000000000'],
    ['https://auth.example.org/realms/main', 'user|42'],
    ['issuer-with-ünïcode', 'sub with spaces and 日本語'],
    ['a', 'b'.repeat(128)],
  ];
  for (const [iss, sub] of cases) {
    const identity = computeIdentity(iss, sub);
    assert.equal(identity, independentIdentity(iss, sub), `${iss} / ${sub}`);
    assert.match(identity, /^c200[0-9a-f]{60}$/);
  }
});

test('identity depends on iss and sub only, and on both', () => {
  assert.notEqual(computeIdentity('localhost', 'a'), computeIdentity('localhost', 'b'));
  assert.notEqual(computeIdentity('localhost', 'a'), computeIdentity('example.com', 'a'));
  // The hash input is the plain concatenation iss + "|" + sub, so a "|" may sit on either side.
  assert.equal(computeIdentity('a|b', 'c'), computeIdentity('a', 'b|c'));
});
