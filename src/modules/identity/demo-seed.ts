import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tenantScope, type ZoneContext } from '../../core/index.ts';
import type { Role } from './roles.ts';
import { createStaffAccount, staffExists } from './staff-accounts.ts';
import type { IdentityDb } from './tables.ts';

const demoStaff: readonly { userName: string; displayName: string; roles: Role[] }[] = [
  { userName: 'demo-clerk', displayName: 'デモ 窓口職員', roles: ['registry-clerk', 'case-worker'] },
  { userName: 'demo-auditor', displayName: 'デモ 監査担当', roles: ['auditor'] },
  { userName: 'demo-admin', displayName: 'デモ 管理者', roles: ['admin', 'points-admin'] },
];

export interface DemoStaffEntry {
  readonly municipalityCode: string;
  readonly userName: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  readonly password: string;
  readonly totpSecret: string;
  readonly otpauthUri: string;
}

export function demoStaffFile(context: Pick<ZoneContext, 'config' | 'zone'>): string {
  return join(context.config.dataDir, context.zone, 'demo-staff.json');
}

function readEntries(file: string): DemoStaffEntry[] {
  if (!existsSync(file)) return [];
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { accounts?: DemoStaffEntry[] };
  return Array.isArray(parsed.accounts) ? parsed.accounts : [];
}

/**
 * Demo staff for every served municipality, with random passwords and TOTP
 * secrets made on first start — never committed to the repository. They are
 * written to <dataDir>/<zone>/demo-staff.json (mode 0600), the only place they
 * exist in clear. Idempotent: existing accounts are left as they are.
 */
export async function seedDemoStaff(context: ZoneContext): Promise<string> {
  const db = context.database.db as IdentityDb;
  const file = demoStaffFile(context);
  const entries = readEntries(file);
  let added = 0;
  for (const municipality of context.served.list()) {
    const scope = tenantScope(municipality.code);
    for (const demo of demoStaff) {
      if (await staffExists(db, scope, demo.userName)) continue;
      const created = await createStaffAccount(db, scope, {
        ...demo,
        issuer: `Machi ${context.zone} ${municipality.code}`,
        now: context.clock.now(),
        audit: { log: context.audit, actor: 'system:demo-seed' },
      });
      const others = entries.filter(
        (e) => !(e.municipalityCode === municipality.code && e.userName === demo.userName),
      );
      others.push({
        municipalityCode: municipality.code,
        userName: created.staff.userName,
        displayName: created.staff.displayName,
        roles: created.staff.roles,
        password: created.initialPassword,
        totpSecret: created.totpSecret,
        otpauthUri: created.otpauthUri,
      });
      entries.splice(0, entries.length, ...others);
      added += 1;
    }
  }
  if (added > 0) {
    mkdirSync(join(context.config.dataDir, context.zone), { recursive: true });
    const note = 'Demo staff sign-ins. Secrets: keep this file private; delete the data directory to reset.';
    writeFileSync(file, `${JSON.stringify({ note, zone: context.zone, accounts: entries }, null, 2)}\n`, {
      mode: 0o600,
    });
    chmodSync(file, 0o600);
  }
  if (entries.length > 0) {
    process.stdout.write(`${context.zone}: demo staff sign-ins (password + TOTP secret) are in ${file}\n`);
  }
  return file;
}
