import { writeFile } from 'node:fs/promises';
import { createAuditLog, loadConfig, systemClock } from '../../core/index.ts';
import { currentCrl, loadIssuer, locationsOf, refreshCrls, toPem } from '../../modules/jpki/index.ts';
import { type Command, stringOption, UsageError } from '../command.ts';
import { openExistingZoneDatabase } from './zone-database.ts';

/** `machi pki crl`: the current CRL of an issuing CA, remade first if due. */
export const pkiCrlCommand: Command = {
  name: 'pki crl',
  summary: 'Write the current CRL of the auth or signing CA (remade if a revocation is pending)',
  help: [
    '  --kind auth|signing   which CA (default auth)',
    '  --out FILE            write DER to FILE instead of PEM to stdout',
    "Opens the mynumber zone's database and the CA keys; with PGlite, stop `machi start` first.",
    'Relying parties fetch the same CRL from MACHI_JPKI_CRL_URL.',
  ].join('\n'),
  options: { kind: { type: 'string' }, out: { type: 'string' } },
  async run({ values, stdout }) {
    const kind = stringOption(values, 'kind') ?? 'auth';
    if (kind !== 'auth' && kind !== 'signing') throw new UsageError('--kind must be auth or signing.');
    const config = loadConfig();
    const database = await openExistingZoneDatabase('mynumber');
    try {
      const audit = createAuditLog(database, systemClock);
      const issuer = {
        database,
        audit,
        clock: systemClock,
        cas: await loadIssuer(config.jpki),
        locations: locationsOf(config.jpki),
      };
      await refreshCrls(issuer);
      const crl = await currentCrl(issuer, kind);
      if (!crl) throw new UsageError('No CRL exists yet.');
      const out = stringOption(values, 'out');
      if (out) {
        await writeFile(out, crl.der);
        stdout.write(
          `CRL #${crl.crlNumber} of the ${kind} CA, next update ${crl.nextUpdate.toISOString()}: ${out}\n`,
        );
      } else {
        stdout.write(toPem(crl.der, 'X509 CRL'));
      }
      return 0;
    } finally {
      await database.close();
    }
  },
};
