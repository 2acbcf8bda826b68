import type { Command } from '../command.ts';
import { auditTailCommand } from './audit-tail.ts';
import { auditVerifyCommand } from './audit-verify.ts';
import { cardIssueCommand } from './card-issue.ts';
import { cardLoginCommand } from './card-login.ts';
import { cardRevokeCommand } from './card-revoke.ts';
import { cardSignCommand } from './card-sign.ts';
import { cardStatusCommand } from './card-status.ts';
import { cardVerifyCommand } from './card-verify.ts';
import { dbMigrateCommand } from './db-migrate.ts';
import { noticeVerifyCommand } from './notice-verify.ts';
import { pkiCrlCommand } from './pki-crl.ts';
import { pkiInitCommand } from './pki-init.ts';
import { pointsReconcileCommand } from './points-reconcile.ts';
import { pointsSettleCommand } from './points-settle.ts';
import { registryGenerateCommand } from './registry-generate.ts';
import { registryImportCommand } from './registry-import.ts';
import { sanitizeCommand } from './sanitize.ts';
import { serveCommand } from './serve.ts';
import { staffCreateCommand } from './staff-create.ts';
import { startCommand } from './start.ts';

/** Every `machi` command. Add new ones here. */
export const commands: readonly Command[] = [
  startCommand,
  serveCommand,
  dbMigrateCommand,
  auditVerifyCommand,
  auditTailCommand,
  staffCreateCommand,
  registryGenerateCommand,
  registryImportCommand,
  pkiInitCommand,
  pkiCrlCommand,
  cardIssueCommand,
  cardLoginCommand,
  cardSignCommand,
  cardVerifyCommand,
  cardStatusCommand,
  cardRevokeCommand,
  sanitizeCommand,
  noticeVerifyCommand,
  pointsReconcileCommand,
  pointsSettleCommand,
];
