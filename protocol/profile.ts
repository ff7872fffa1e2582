/** The profile a connector returns for a user (design.md): what crosses the wire in login, search and password replies. */
export interface Profile {
  id: string;
  displayName?: string;
  name: { givenName?: string; familyName?: string };
  nickname?: string;
  emails: Array<{ value: string }>;
  groups: string[];
  dn: string;
  sAMAccountName?: string;
  userPrincipalName?: string;
  objectSid?: string;
  [extra: string]: unknown;
}
