export interface Envelope {
  from: string;
  to: string[];
  subject: string;
  body: string;
  attachment: { name: string; content: Buffer } | null;
}

/** Hands a mail to SMTP; resolves once the server accepted it for every recipient, throws otherwise. */
export type MailTransport = (mail: Envelope) => Promise<void>;

/** SMTP through nodemailer, from `ATRIUM_SMTP_URL` (smtp://user:pass@host:587, smtps://… for TLS). */
export function smtpTransport(url: string): MailTransport {
  // nodemailer (about 15 MB once loaded) is loaded by the first mail, not at start-up.
  const transporter = import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport(url));
  return async (mail) => {
    const info = await (
      await transporter
    ).sendMail({
      from: mail.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.body,
      attachments: mail.attachment
        ? [{ filename: mail.attachment.name, content: mail.attachment.content, contentType: 'application/pdf' }]
        : [],
    });
    if (info.rejected.length > 0) throw new Error(`refused recipients: ${info.rejected.map(String).join(', ')}`);
  };
}
