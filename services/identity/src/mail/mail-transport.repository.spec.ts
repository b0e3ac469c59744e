import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityConfig } from '../common/identity-config.js';
import { MailTransportRepository } from './mail-transport.repository.js';

/** A minimal SMTP server on a real socket: enough of RFC 5321 for nodemailer to deliver to it. */
function smtpServer(reject = false): Promise<{ server: Server; port: number; messages: string[] }> {
  const messages: string[] = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let data = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(data);
            data = '';
            socket.write(reject ? '554 rejected by test\r\n' : '250 queued\r\n');
          } else data += `${line}\n`;
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 test\r\n');
        else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, messages }),
    ),
  );
}

let open: Server | undefined;
afterEach(() => {
  open?.close();
  open = undefined;
});

const config = (smtp?: string) =>
  ({ SMTP_URL: smtp, MAIL_FROM: 'Agora <no-reply@agora.test>' }) as IdentityConfig;

describe('MailTransportRepository', () => {
  it('is the dev mailbox without SMTP_URL, and refuses to send', async () => {
    const transport = new MailTransportRepository(config());
    expect(transport.kind).toBe('dev-mailbox');
    await expect(
      transport.send({ to: 'a@example.org', subject: 's', text: 't', html: 'h' }),
    ).rejects.toThrow(/no SMTP/);
  });

  it('delivers through the SMTP server named by SMTP_URL', async () => {
    const smtp = await smtpServer();
    open = smtp.server;
    const transport = new MailTransportRepository(config(`smtp://127.0.0.1:${smtp.port}`));
    expect(transport.kind).toBe('smtp');
    await transport.send({
      to: 'guest@example.org',
      subject: 'Karim invites you to Agora',
      text: 'Create your account: http://agora.test/register?invite=abc',
      html: '<p>hi</p>',
    });
    transport.onModuleDestroy();
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]).toMatch(/^From: Agora <no-reply@agora\.test>$/m);
    expect(smtp.messages[0]).toMatch(/^To: guest@example\.org$/m);
    expect(smtp.messages[0]).toContain('register?invite=abc');
  });

  it('fails when the server refuses the message', async () => {
    const smtp = await smtpServer(true);
    open = smtp.server;
    const transport = new MailTransportRepository(config(`smtp://127.0.0.1:${smtp.port}`));
    await expect(
      transport.send({ to: 'x@example.org', subject: 's', text: 't', html: 'h' }),
    ).rejects.toThrow(/554/);
    transport.onModuleDestroy();
  });
});
