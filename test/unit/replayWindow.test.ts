import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { compact, ReplayWindow } from '../../protocol/replayWindow';

describe('replay window of request ids', () => {
  it('refuses an id seen before, within its token lifetime plus the tolerance', () => {
    let now = 1000;
    const w = new ReplayWindow(30, () => now);
    const id = randomUUID();
    assert.equal(w.seen(id, 1060), false);
    assert.equal(w.seen(id, 1060), true);
    now = 1090; // exp + tolerance: the token still verifies, so the id is still remembered
    assert.equal(w.seen(id, 1060), true);
  });

  it('forgets ids once their token can no longer verify, so it holds only what the window needs', () => {
    let now = 1000;
    const w = new ReplayWindow(30, () => now);
    for (let i = 0; i < 1000; i++) w.seen(randomUUID(), 1060);
    now = 1050;
    for (let i = 0; i < 500; i++) w.seen(randomUUID(), 1110);
    assert.equal(w.size, 1500);
    now = 1091; // the first thousand expired at 1090
    w.seen(randomUUID(), 1151);
    assert.equal(w.size, 501);
    now = 5000;
    w.seen(randomUUID(), 5060);
    assert.equal(w.size, 1);
  });

  it('a long-lived token keeps only its own id longer, not the ones after it', () => {
    let now = 1000;
    const w = new ReplayWindow(30, () => now);
    w.seen('long-lived', 100_000);
    for (let i = 0; i < 100; i++) w.seen(randomUUID(), 1060);
    now = 1200;
    w.seen('next', 1260);
    assert.equal(w.size, 2);
    assert.equal(w.seen('long-lived', 100_000), true);
  });

  it('ids are kept exactly: a UUID packed into 16 characters never equals another id, in any case or form', () => {
    const u = 'a3bb189e-8bf9-3888-9912-ace4e6543002';
    assert.equal(compact(u).length, 16);
    assert.notEqual(compact(u), compact(u.toUpperCase()));
    assert.notEqual(compact(u), compact(compact(u)));
    const w = new ReplayWindow(30, () => 0);
    assert.equal(w.seen(u, 60), false);
    assert.equal(w.seen(u.toUpperCase(), 60), false);
    assert.equal(w.seen(compact(u), 60), false);
    assert.equal(w.seen(u, 60), true);
  });
});
