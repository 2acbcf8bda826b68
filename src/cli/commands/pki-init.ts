import { loadConfig } from '../../core/index.ts';
import { initPki, loadRelyingParty } from '../../modules/jpki/index.ts';
import { type Command, stringOption } from '../command.ts';

/** `machi pki init`: the deployment's JPKI-shaped hierarchy, written once. */
export const pkiInitCommand: Command = {
  name: 'pki init',
  summary: 'Create the JPKI authority: root, auth CA, signing CA, OCSP responders (once)',
  help: [
    '  --name NAME   the deployment name in the CA subjects (default "Machi JPKI")',
    'Writes MACHI_JPKI_DIR (default MACHI_DATA_DIR/jpki): trust/ (certificates, for every',
    'verifier), ca/ (CA keys: the mynumber zone only), ocsp/ (responder keys: the internet zone).',
    'Certificates point relying parties at MACHI_JPKI_OCSP_URL and MACHI_JPKI_CRL_URL.',
    'Refuses to overwrite an existing authority (exit 1).',
  ].join('\n'),
  options: { name: { type: 'string' } },
  async run({ values, stdout }) {
    const { jpki } = loadConfig();
    await initPki(jpki, stringOption(values, 'name') ?? 'Machi JPKI', new Date());
    const { trust } = await loadRelyingParty(jpki);
    stdout.write(`JPKI created in ${jpki.dir}\n`);
    for (const root of trust.roots) stdout.write(`root        ${root.subject}\n`);
    for (const issuer of trust.issuers)
      stdout.write(`${issuer.kind.padEnd(11)} ${issuer.certificate.subject}\n`);
    stdout.write(`OCSP        ${jpki.ocspUrl}\nCRL         ${jpki.crlBaseUrl}/{auth,signing}.crl\n`);
    return 0;
  },
};
