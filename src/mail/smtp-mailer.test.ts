import { once } from 'node:events';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type { Schema } from '../storage/schema.ts';
import { createMailer } from './mailer.ts';
import { createSmtpMailer } from './smtp-mailer.ts';

interface Received {
  from: string;
  to: string[];
  auth: string | undefined;
  data: string;
}

/** Just enough of an SMTP server on 127.0.0.1 to receive mail: EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT. */
async function startSmtpServer(options: { rejectRecipient?: string } = {}) {
  const received: Received[] = [];
  const server: Server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let current: Received = { from: '', to: [], auth: undefined, data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 127.0.0.1 ESMTP test');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          current.data = buffer.slice(0, end).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          received.push(current);
          current = { from: '', to: [], auth: current.auth, data: '' };
          reply('250 2.0.0 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline === -1) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-127.0.0.1\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO') reply('250 127.0.0.1');
        else if (verb === 'AUTH') {
          current.auth = Buffer.from(line.split(' ')[2] ?? '', 'base64').toString('utf8');
          reply('235 2.7.0 authenticated');
        } else if (verb === 'MAIL') {
          current.from = /<(.*)>/.exec(line)?.[1] ?? '';
          reply('250 2.1.0 ok');
        } else if (verb === 'RCPT') {
          const to = /<(.*)>/.exec(line)?.[1] ?? '';
          if (to === options.rejectRecipient) reply('550 5.1.1 no such user');
          else {
            current.to.push(to);
            reply('250 2.1.5 ok');
          }
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'RSET') reply('250 2.0.0 ok');
        else if (verb === 'QUIT') {
          reply('221 2.0.0 bye');
          socket.end();
        } else reply('502 5.5.2 not implemented');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, received, port: (server.address() as AddressInfo).port };
}

describe('SMTP mailer', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('delivers the message through the configured server, with the URL credentials', async () => {
    const smtp = await startSmtpServer();
    servers.push(smtp.server);
    const mailer = createSmtpMailer(
      `smtp://mailer%40vetted.test:p%40ss@127.0.0.1:${smtp.port}`,
      'Vetted <no-reply@vetted.test>',
    );
    await mailer.send({
      to: 'ann@example.com',
      subject: '123456 is your Vetted verification code',
      text: 'Your Vetted verification code is 123456. It expires in 10 minutes.',
      html: '<p>Your Vetted verification code is <b>123456</b>.</p>',
    });
    expect(smtp.received).toHaveLength(1);
    const [message] = smtp.received;
    expect(message).toMatchObject({
      from: 'no-reply@vetted.test',
      to: ['ann@example.com'],
      auth: '\0mailer@vetted.test\0p@ss',
    });
    expect(message?.data).toContain('Subject: 123456 is your Vetted verification code');
    expect(message?.data).toMatch(/^From: Vetted <no-reply@vetted\.test>\r$/m);
    expect(message?.data).toContain('Your Vetted verification code is 123456. It expires in 10 minutes.');
    expect(message?.data).toContain('<b>123456</b>');
  });

  it('is what createMailer picks when an SMTP URL is configured', async () => {
    const smtp = await startSmtpServer();
    servers.push(smtp.server);
    // A database that cannot run queries: the SMTP mailer must not need one.
    const unusedDatabase = new Kysely<Schema>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new SqliteIntrospector(db),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
    const mailer = createMailer(
      { mail: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Vetted <no-reply@localhost>' } },
      unusedDatabase,
    );
    await mailer.send({ to: 'bob@example.com', subject: 'Hello', text: 'Hi.' });
    expect(smtp.received.map((message) => message.to)).toEqual([['bob@example.com']]);
  });

  it('fails when the server refuses the recipient', async () => {
    const smtp = await startSmtpServer({ rejectRecipient: 'nobody@example.com' });
    servers.push(smtp.server);
    const mailer = createSmtpMailer(`smtp://127.0.0.1:${smtp.port}`, 'Vetted <no-reply@localhost>');
    await expect(mailer.send({ to: 'nobody@example.com', subject: 'x', text: 'y' })).rejects.toThrow(/550/);
    expect(smtp.received).toEqual([]);
  });
});
