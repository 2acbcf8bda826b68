import { readFile, rename, writeFile } from 'node:fs/promises';
import { createSanitizer, type PdfMode, type SanitizeReport } from '../../modules/sanitize/index.ts';
import { type Command, requireOption, stringOption, UsageError } from '../command.ts';

function describe(report: SanitizeReport): string {
  const lines = [
    `type        ${report.detectedType}`,
    `input       ${report.input.bytes} bytes, sha256 ${report.input.sha256}`,
  ];
  if (report.output) {
    lines.push(
      `output      ${report.output.bytes} bytes, sha256 ${report.output.sha256} (${report.output.mediaType})`,
    );
  }
  for (const action of report.actions) lines.push(`done        ${action}`);
  for (const item of report.removed) {
    lines.push(`removed     ${item.kind} ×${item.count}${item.detail ? ` (${item.detail})` : ''}`);
  }
  for (const warning of report.warnings) lines.push(`warning     ${warning}`);
  return `${lines.join('\n')}\n`;
}

/** `machi sanitize`: 無害化 of one file, as the gateway does it for every upload. */
export const sanitizeCommand: Command = {
  name: 'sanitize',
  summary: 'Disarm and rebuild a file (無害化): PDF, images, DOCX/XLSX, CSV, text',
  help: [
    '  machi sanitize INPUT --out OUTPUT [--json] [--pdf rebuild|text] [--allow-archives]',
    '  --out FILE         where the rebuilt file goes (required; written only when rebuilt)',
    '  --json             print the report as JSON on stdout',
    '  --pdf MODE         rebuild (pages as images with a text layer; default) or text',
    '  --allow-archives   accept ZIP archives (for procedures that allow them)',
    'The type comes from the content, never the name. Exit 0 when the rebuilt file was',
    'written, 2 when the file was refused (the reason on stderr), 1 on an internal error.',
  ].join('\n'),
  options: {
    out: { type: 'string' },
    json: { type: 'boolean' },
    pdf: { type: 'string' },
    'allow-archives': { type: 'boolean' },
  },
  async run({ values, positionals, stdout, stderr }) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one INPUT file.');
    const out = requireOption(values, 'out');
    const pdfMode = stringOption(values, 'pdf') ?? 'rebuild';
    if (pdfMode !== 'rebuild' && pdfMode !== 'text') throw new UsageError('--pdf is rebuild or text.');
    const input = new Uint8Array(await readFile(positionals[0]!));
    const sanitizer = createSanitizer({ workers: 1 });
    try {
      const { report, output } = await sanitizer.sanitize(input, {
        pdfMode: pdfMode as PdfMode,
        allowArchives: values['allow-archives'] === true,
      });
      if (output) {
        // Written beside and renamed: a reader never sees half a file.
        await writeFile(`${out}.partial`, output, { mode: 0o600 });
        await rename(`${out}.partial`, out);
      }
      stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : describe(report));
      if (report.refusal) {
        stderr.write(`machi sanitize: refused (${report.refusal.reason}): ${report.refusal.message}\n`);
        return 2;
      }
      return 0;
    } finally {
      await sanitizer.close();
    }
  },
};
