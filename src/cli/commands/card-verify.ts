import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../../core/index.ts';
import {
  createRevocationChecker,
  loadTrustStore,
  verifyDocumentSignature,
} from '../../modules/jpki/index.ts';
import { type Command, requireOption, stringOption } from '../command.ts';

/** `machi card verify`: checks a signature, its signer's certificate and its status. */
export const cardVerifyCommand: Command = {
  name: 'card verify',
  summary: 'Verify a signed file: signer (basic four), certificate status at signing, integrity',
  help: [
    '  --in FILE          the document (required)',
    '  --signature FILE   its CMS detached signature, DER or PEM (required)',
    '  --trust DIR        trusted CA certificates (default MACHI_JPKI_DIR/trust)',
    '  --json             print the report as JSON',
    'Status comes from the OCSP responder the certificate names, or its CRL; with neither',
    'reachable the answer is an error, never "valid". Exit 0 valid, 1 not valid or refused.',
  ].join('\n'),
  options: {
    in: { type: 'string' },
    signature: { type: 'string' },
    trust: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run({ values, stdout }) {
    const document = await readFile(requireOption(values, 'in'));
    const signature = await readFile(requireOption(values, 'signature'));
    const text = signature.toString('latin1');
    const trustDir = stringOption(values, 'trust') ?? join(loadConfig().jpki.dir, 'trust');
    const trust = await loadTrustStore(trustDir);
    const report = await verifyDocumentSignature(
      { trust, revocation: createRevocationChecker(), now: new Date() },
      text.startsWith('-----BEGIN') ? text : new Uint8Array(signature),
      new Uint8Array(document),
    );
    if (values.json === true) {
      stdout.write(`${JSON.stringify(report)}\n`);
    } else {
      stdout.write(`${report.valid ? 'valid' : 'NOT valid'}\n`);
      stdout.write(`document    ${report.documentIntact ? 'intact' : 'ALTERED since it was signed'}\n`);
      stdout.write(
        `signer      ${report.signer.name} (${report.signer.dateOfBirth}), ${report.signer.address}\n`,
      );
      stdout.write(`signed at   ${report.signingTime ?? 'not stated'}\n`);
      stdout.write(
        `certificate ${report.serialNumber}: ${report.certificateStatus.atSigning} at signing` +
          `${report.certificateStatus.revokedAt ? `, revoked ${report.certificateStatus.revokedAt}` : ''}` +
          ` (${report.certificateStatus.source})\n`,
      );
    }
    return report.valid ? 0 : 1;
  },
};
