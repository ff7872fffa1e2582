/**
 * The Kerberos part of a deployment: its config keys, a package.json that installs the native `kerberos` module
 * into the deployment folder (a native module cannot be inside the single-file connector), and the README section
 * with the exact commands that create the service principal and its keytab on Active Directory and on Samba.
 */
import { parsePrincipal } from '../../protocol/kerberosStatus';

export interface KerberosDeployment {
  /** HTTP/connector.example.com@EXAMPLE.COM */
  principal: string;
  /** the directory account that holds the principal (sAMAccountName), e.g. svc-connector */
  account: string;
  /** port of the Negotiate endpoint */
  port: number;
}

export const KEYTAB_FILE = 'connector.keytab';

export function validatePrincipal(v: string): string | undefined {
  try {
    parsePrincipal(v);
    return undefined;
  } catch (e) {
    return (e as Error).message.replace('KERBEROS_PRINCIPAL', 'The service principal');
  }
}

export function kerberosConfig(k: KerberosDeployment): Record<string, unknown> {
  return {
    KERBEROS_AUTH: true,
    KERBEROS_KEYTAB: KEYTAB_FILE,
    KERBEROS_PRINCIPAL: k.principal,
    KERBEROS_LISTEN: `0.0.0.0:${k.port}`,
  };
}

export function kerberosPackageJson(connection: string): string {
  return (
    JSON.stringify(
      {
        name: `directory-bridge-connector-${connection}`,
        private: true,
        description: 'Installs the native Kerberos module next to connector.js',
        dependencies: { kerberos: '^7.0.0' },
      },
      null,
      2,
    ) + '\n'
  );
}

export function kerberosReadme(k: KerberosDeployment): string {
  const { host, realm } = parsePrincipal(k.principal);
  const spn = k.principal.split('@')[0];
  const domain = realm.toLowerCase();
  return `
## Kerberos single sign-on

This connector accepts Kerberos tickets from browsers inside the connection's Kerberos IP ranges, at
\`http://${host}:${k.port}/kerberos\`, as \`${k.principal}\`. Browsers must reach this server under the name
\`${host}\` and trust it for Negotiate (Windows: the Local intranet zone; Chrome/Edge: \`AuthServerAllowlist\`;
Firefox: \`network.negotiate-auth.trusted-uris\`).

### What the server needs

The native \`kerberos\` module, installed into this folder (once; it is built against Node's stable N-API):

    npm install --omit=dev --no-audit --no-fund

It needs Node.js 20+ and npm, and, since the module is built from source where no prebuilt binary fits: on
Debian/Ubuntu \`apt-get install libkrb5-dev g++ make python3\`; on RHEL \`dnf install krb5-devel gcc-c++ make python3\`;
on Windows MIT Kerberos for Windows and the Visual C++ build tools (this path was not tested by the project).
\`troubleshoot\` says whether it loads. When it cannot, the connector says so at start, turns Kerberos off and
keeps serving passwords.

On Linux, \`/etc/krb5.conf\` must name the realm \`${realm}\` (or DNS must publish \`_kerberos._tcp.${domain}\`).

### Create the service principal and its keytab

The principal belongs to one account of the directory (\`${k.account}\` here; a dedicated service account whose
password never expires). The keytab holds the principal's key and the account's, so that \`troubleshoot\` can
get a ticket from it and test it end to end. Copy it to this folder as \`${KEYTAB_FILE}\`, readable only by the
connector's user (\`chmod 600\`).

**Active Directory** (a Domain Admin, on a domain controller or with RSAT):

    setspn -S ${spn} ${k.account}
    ktpass -princ ${k.principal} -mapuser ${realm.split('.')[0]}\\${k.account} -crypto AES256-SHA1 -ptype KRB5_NT_PRINCIPAL -pass * -out ${KEYTAB_FILE}

(\`-pass *\` asks for the account's password and sets it. Allow AES for the account: "This account supports
Kerberos AES 256 bit encryption".) Check with \`setspn -Q ${spn}\`: exactly one account may hold it. To add the
account's own key for the self-test, on a Linux host with MIT Kerberos: \`ktutil\`, then
\`rkt ${KEYTAB_FILE}\`, \`addent -password -p ${k.account}@${realm} -k <the key version klist -k shows> -e aes256-cts-hmac-sha1-96\`,
\`wkt ${KEYTAB_FILE}\`.

**Samba AD** (as root on a domain controller):

    samba-tool spn add ${spn} ${k.account}
    samba-tool domain exportkeytab ${KEYTAB_FILE} --principal=${spn}
    samba-tool domain exportkeytab ${KEYTAB_FILE} --principal=${k.account}

Check with \`samba-tool spn list ${k.account}\` and \`klist -k ${KEYTAB_FILE}\`.

Then \`node connector.js troubleshoot --config config.json\` checks the keytab (principal and key version), the KDC,
the clock skew and a full ticket round trip.
`;
}
