import * as assert from 'node:assert/strict';
import type { Directory } from '../../connector/directory';
import { WrongPasswordError } from '../../connector/directory';
import { createLogger } from '../../shared/log';
import { EVENT } from '../../protocol/messages';
import { RequestHandler } from '../../connector/requestHandler';

/** The handler's logging, with a directory that knows one password (the directory itself is tested on real servers). */
function handlerAt(level: 'info' | 'debug') {
  const lines: string[] = [];
  const directory = {
    async authenticate(username: string, password: string) {
      if (password !== 'right-Pass1') throw new WrongPasswordError('Invalid credentials');
      return { profile: { id: username }, timings: {} };
    },
  } as unknown as Directory;
  return {
    lines,
    handler: new RequestHandler(directory, createLogger('connector', { level, write: (l) => lines.push(l) }), false),
  };
}
const login = (username: string, password: string) => ({ pid: 'p', username, password });

describe('connector request log', () => {
  it('at info level a successful login writes no line; a failed one writes the user and outcome, never the password', async () => {
    const { lines, handler } = handlerAt('info');
    await handler.handle(EVENT.authenticateUser, login('alice', 'right-Pass1'));
    assert.deepEqual(lines, []);
    await handler.handle(EVENT.authenticateUser, login('alice', 'wrong-Pass2'));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /INFO .*connector\.request event=authenticate_user user=alice result=WrongPassword/);
    assert.doesNotMatch(lines[0], /wrong-Pass2/);
  });

  it('at debug level every request has its line', async () => {
    const { lines, handler } = handlerAt('debug');
    await handler.handle(EVENT.authenticateUser, login('bob', 'right-Pass1'));
    assert.equal(lines.length, 1);
    assert.match(lines[0], /DEBUG .*user=bob result=ok/);
  });

  it('counts outcomes for the summary line, then starts afresh', async () => {
    const { handler } = handlerAt('info');
    assert.equal(handler.takeSummary(), undefined);
    for (let i = 0; i < 3; i++) await handler.handle(EVENT.authenticateUser, login('u', 'right-Pass1'));
    await handler.handle(EVENT.authenticateUser, login('u', 'nope-Pass3'));
    await handler.handle(EVENT.authenticateUser, { pid: 'p', username: 'u' });
    const s = handler.takeSummary()!;
    assert.deepEqual(s[EVENT.authenticateUser], { ok: 3, WrongPassword: 1, malformed: 1 });
    assert.equal(handler.takeSummary(), undefined);
  });
});
