/** The directory engine's public face. */
export * from './config';
export { fixesFor, type AccountFix, type AccountFixRequest } from './accountFixes';
export * from './directory';
export * from './errors';
export { escapeFilterValue, fillFilter, findFilterProblem, assertValidFilter } from './filter';
export {
  BINARY_ATTRIBUTES,
  guidToString,
  sidToString,
  fileTimeToDate,
  generalizedTimeToDate,
  userAccountControlFlags,
} from './decode';
export type { Profile } from '../../protocol/profile';
export type { GroupRef } from './groups';
export type { Logger } from '../../shared/logger';
export type { TlsSettings } from './connection';
export { ProfileMapper, mapperLine } from './profile';
export { tlsDescription, tlsOptionsFor } from './connection';
