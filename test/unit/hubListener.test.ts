import * as assert from 'node:assert/strict';
import { statusOf } from '../../extension/hub/listener';
import { HttpError } from '../../extension/hub/http';
import { HubError, InputTooLongError, NoInstanceError, UnknownConnectionError } from '../../extension/hub/errors';
import { DomainRefusedError } from '../../extension/hub/emailDomains';
import { StateError } from '../../extension/hub/state';

describe('hub listener: the status a failed route answers with', () => {
  it('names each kind of failure, the more specific hub errors before the general one', () => {
    assert.equal(statusOf(new HttpError(413, 'too big')), 413);
    assert.equal(statusOf(new UnknownConnectionError('no such connection')), 404);
    assert.equal(statusOf(new DomainRefusedError('example.org')), 403);
    assert.equal(statusOf(new StateError('bad uses')), 400);
    assert.equal(statusOf(new InputTooLongError('password over 1,024')), 400);
    assert.equal(statusOf(new NoInstanceError('no instance online')), 503);
    assert.equal(statusOf(new HubError('connector said no')), 503);
  });
  it('answers 500 for anything it does not know (the only status that is logged)', () => {
    assert.equal(statusOf(new Error('boom')), 500);
    assert.equal(statusOf('a string'), 500);
  });
});
