import * as assert from 'node:assert/strict';
import { createSigner } from 'fast-jwt';
import * as jsonwebtoken from 'jsonwebtoken';
import { REQUEST_TOKEN_SECONDS, requestTokens, signingKeyBytes } from '../../protocol/tokens';

const KEY = 'k3y-0f-the-c0nnection-as-the-ticket-returned-it';
const claims = {
  username: 'user1',
  password: 'Pässw0rd!"\\',
  escaped: false,
  pid: '0b7c9f2e-5d1a-4c3b-9e8f-123456789abc',
};

describe('request tokens (hub → connector, HS256)', () => {
  it('signs the same bytes as fast-jwt does for the same second (header, claims, iat, exp)', () => {
    const t = requestTokens(signingKeyBytes(KEY));
    const jwt = t.sign(claims);
    const iat = (JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { iat: number }).iat;
    const reference = createSigner({
      key: Buffer.from(signingKeyBytes(KEY)),
      algorithm: 'HS256',
      expiresIn: REQUEST_TOKEN_SECONDS * 1000,
      clockTimestamp: iat * 1000,
    });
    assert.equal(jwt, reference(claims));
  });

  it('verifies its own tokens, and the deployed connector (jsonwebtoken, key as a string) accepts them', () => {
    const t = requestTokens(signingKeyBytes(KEY));
    const jwt = t.sign(claims);
    const got = t.verify(jwt) as Record<string, unknown>;
    assert.equal(got.password, claims.password);
    assert.equal((got.exp as number) - (got.iat as number), REQUEST_TOKEN_SECONDS);
    const theirs = jsonwebtoken.verify(jwt, KEY, { algorithms: ['HS256'] }) as Record<string, unknown>;
    assert.equal(theirs.pid, claims.pid);
  });

  it('refuses a token signed with another key, a changed claim and an empty key', () => {
    const ours = requestTokens(signingKeyBytes(KEY));
    const other = requestTokens(signingKeyBytes(`${KEY}x`));
    assert.throws(() => ours.verify(other.sign(claims)), /signature/i);
    const [h, p, s] = ours.sign(claims).split('.');
    const changed = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), username: 'admin' }),
    ).toString('base64url');
    assert.throws(() => ours.verify(`${h}.${changed}.${s}`), /signature/i);
    assert.throws(() => requestTokens(new Uint8Array()), /empty/);
  });
});
