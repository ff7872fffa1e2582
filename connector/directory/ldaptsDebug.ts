/**
 * ldapts writes a debug line for every message it sends, and builds it (`JSON.stringify` of the whole request,
 * filter tree and controls included) even when its debug log is off: about 5% of a connector's CPU under load.
 * Unless NODE_DEBUG asks for ldapts's log, messages and controls serialize to a constant instead. Nothing else in
 * ldapts or here serializes them.
 */
import { debuglog } from 'node:util';
import { Control, SearchRequest } from 'ldapts';

const QUIET = '[ldap message: set NODE_DEBUG=ldapts for details]';

export function quietLdaptsDebugLog(): void {
  if (debuglog('ldapts').enabled) return;
  for (const proto of [Object.getPrototypeOf(SearchRequest.prototype), Control.prototype] as Array<{
    toJSON?: () => string;
  }>) {
    if (!Object.prototype.hasOwnProperty.call(proto, 'toJSON')) proto.toJSON = () => QUIET;
  }
}
