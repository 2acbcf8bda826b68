import { readFile } from 'node:fs/promises';
import { isMachiError, loadConfig } from '../../core/index.ts';
import { loadNoticeTrust, verifyNoticePdf } from '../../modules/procedures/index.ts';
import { type Command, requireOption, stringOption } from '../command.ts';

/** `machi notice verify`: checks a disposition notice (処分通知) PDF and who signed it. */
export const noticeVerifyCommand: Command = {
  name: 'notice verify',
  summary: 'Verify a disposition notice PDF: signed by which municipality, when, and unaltered',
  help: [
    '  --in FILE          the notice PDF (required)',
    '  --trust DIR        the notice root (default MACHI_LGPKI_DIR; its trust/root.pem is used)',
    '  --json             print the report as JSON',
    'Anything added to the file after it was signed (an incremental update) makes it not valid.',
    'Exit 0 valid, 1 not valid.',
  ].join('\n'),
  options: { in: { type: 'string' }, trust: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, stdout }) {
    const pdf = new Uint8Array(await readFile(requireOption(values, 'in')));
    const trust = await loadNoticeTrust(stringOption(values, 'trust') ?? loadConfig().lgpkiDir);
    try {
      const notice = await verifyNoticePdf(pdf, trust);
      if (values.json === true) {
        stdout.write(
          `${JSON.stringify({ valid: true, ...notice, signingTime: notice.signingTime.toISOString() })}\n`,
        );
      } else {
        stdout.write('valid\n');
        stdout.write(
          `signed by   ${notice.signerTitle} (${notice.municipalityName}, ${notice.municipalityCode})\n`,
        );
        stdout.write(`signed at   ${notice.signingTime.toISOString()}\n`);
        stdout.write(`certificate ${notice.certificateSerial}\n`);
      }
      return 0;
    } catch (error) {
      if (!isMachiError(error)) throw error;
      if (values.json === true)
        stdout.write(`${JSON.stringify({ valid: false, reason: error.code, detail: error.detail })}\n`);
      else stdout.write(`NOT valid: ${error.detail}\n`);
      return 1;
    }
  },
};
