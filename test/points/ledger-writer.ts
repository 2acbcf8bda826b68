// The process test/points/kill-ledger.test.ts kills with SIGKILL: a ledger writer that posts
// numbered payments as a payment service would, acknowledging each on stdout only once its
// transaction has committed. Usage: `node --import tsx ledger-writer.ts DATABASE` (a PGlite
// directory, or a postgres:// URL), then on stdin `run FROM TO`: payments FROM…TO-1 are posted,
// eight at a time, each answered {"ack":i,"repeated":bool} or {"failed":i,"code":…}, then
// {"done":true}. Payment i is `pay-i`: resident i mod 5 pays the merchant 1 + i mod 97 points.
// The end of stdin (the test gone) exits at once.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
  auditMigrations,
  createAuditLog,
  isMachiError,
  migrate,
  openDatabase,
  parseLgCode,
  systemClock,
  tenantScope,
} from '../../src/core/index.ts';
import {
  accountId,
  openAccount,
  type PointsLedgerDb,
  pointsLedgerMigrations,
  postTransfer,
} from '../../src/modules/points/index.ts';

export const RESIDENTS = 5;
export const GRANT = 1_000_000;
export const amountOf = (i: number) => 1 + (i % 97);
export const payerOf = (i: number) => accountId('resident', `R${i % RESIDENTS}`);
export const MERCHANT = accountId('merchant', 'm-1');
const IN_FLIGHT = 8;

async function main(target: string): Promise<void> {
  const commands = createInterface({ input: process.stdin });
  commands.on('close', () => process.exit(1));
  const database = await openDatabase(
    target.startsWith('postgres') ? { url: target, poolSize: 5 } : { dataDir: target },
  );
  await migrate(database.db, [auditMigrations, pointsLedgerMigrations]);
  const db = database.db as unknown as PointsLedgerDb;
  const context = { audit: createAuditLog(database, systemClock), clock: systemClock };
  const scope = tenantScope(parseLgCode('131016'));
  const now = systemClock.now();
  const earning = await openAccount(db, scope, 'issuance', 'earning', now);
  await openAccount(db, scope, 'merchant', 'm-1', now);
  for (let r = 0; r < RESIDENTS; r++) {
    const resident = await openAccount(db, scope, 'resident', `R${r}`, now);
    const grant = {
      transferId: `grant-${r}`,
      code: 'earning' as const,
      legs: [{ debit: earning, credit: resident, amount: GRANT }],
    };
    await postTransfer(db, context, scope, grant, 'system');
  }
  const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);
  say({ ready: true });
  for await (const line of commands) {
    const [command, from, to] = line.split(' ');
    if (command !== 'run') continue;
    let next = Number(from);
    const pay = async () => {
      while (next < Number(to)) {
        const i = next++;
        const request = {
          transferId: `pay-${i}`,
          code: 'payment' as const,
          legs: [{ debit: payerOf(i), credit: MERCHANT, amount: amountOf(i) }],
        };
        try {
          const transfer = await postTransfer(db, context, scope, request, payerOf(i));
          say({ ack: i, repeated: transfer.repeated });
        } catch (error) {
          say({ failed: i, code: isMachiError(error) ? error.code : String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, pay));
    say({ done: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2] ?? '');
}
