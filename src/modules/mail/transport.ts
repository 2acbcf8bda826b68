import nodemailer from 'nodemailer';

export interface OutgoingMail {
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Where mail goes: SMTP in production and tests (a real server either way). */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** An SMTP transport from a URL such as smtp://host:25 or smtps://user:pass@host:465. */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transporter.sendMail({
        messageId: mail.messageId,
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        // UTF-8 with quoted-printable bodies: Japanese reads right in every client.
        textEncoding: 'quoted-printable',
      });
    },
    close: () => transporter.close(),
  };
}
