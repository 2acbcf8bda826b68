import type { Command } from '../command.ts';
import { auditTailCommand } from './audit-tail.ts';
import { auditVerifyCommand } from './audit-verify.ts';
import { dbMigrateCommand } from './db-migrate.ts';
import { registryGenerateCommand } from './registry-generate.ts';
import { registryImportCommand } from './registry-import.ts';
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
];
