/**
 * The shared slapd and Samba AD (test/helpers/servers.ts) as answers to the editor's new-connection wizard. A suite
 * gives its connection's name and what it changes (its email domain, a narrower user filter, the directory test).
 */
import type { WizardAnswers } from '../../../extension/commands/connectionWizard';
import { SAMBA, SLAPD } from '../../helpers/servers';

/** What every suite's connection has unless it says otherwise. */
const COMMON = { kerberosRanges: '', cacheEnabled: false };

/** slapd over plain LDAP; users found by uid or mail. */
export function slapdConnection<T extends WizardAnswers>(name: string, extra: T) {
  return {
    name,
    kind: 'openldap' as const,
    urls: SLAPD.url,
    baseDn: SLAPD.baseDn,
    bindDn: SLAPD.bindDn,
    bindPassword: SLAPD.bindPassword,
    userFilter: '(|(uid={0})(mail={0}))',
    caFile: null,
    startTls: false,
    ...COMMON,
    ...extra,
  };
}

/** Samba AD over LDAPS, trusting the fixture's CA; users found by sAMAccountName or UPN. */
export function sambaConnection<T extends WizardAnswers>(name: string, extra: T) {
  return {
    name,
    kind: 'ad' as const,
    urls: SAMBA.ldapsUrl,
    baseDn: SAMBA.baseDn,
    bindDn: SAMBA.bindDn,
    bindPassword: SAMBA.bindPassword,
    userFilter: '(|(sAMAccountName={0})(userPrincipalName={0}))',
    caFile: SAMBA.caFile,
    ...COMMON,
    ...extra,
  };
}
