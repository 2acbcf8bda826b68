// The mail module's door: residents' addresses for notices and an outbox sent over SMTP.
export {
  confirmMailAddress,
  mailAddressOf,
  parseMailAddress,
  removeMailAddress,
  setMailAddress,
} from './addresses.ts';
export { mailMigrations } from './migrations.ts';
export { enqueueMail, sendPendingMail } from './outbox.ts';
export { type MailRoutesOptions, registerMailRoutes } from './routes.ts';
export { type MailTransport, type OutgoingMail, smtpTransport } from './transport.ts';
