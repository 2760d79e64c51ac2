/**
 * A real SMTP server on loopback for tests (smtp-server), keeping every message it accepts, raw
 * and parsed by mailparser. Faults on demand: answer the next N messages, or every message to an
 * address, with a 4xx or 5xx reply, or drop the connection in the middle of a message.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMessage {
  /** the envelope */
  from: string;
  to: string[];
  /** the message as it arrived (CRLF line ends) */
  raw: string;
  parsed: ParsedMail;
  /** every header line as it arrived, unfolded, with its name lower-cased: to count repeats */
  headerLines: { key: string; line: string }[];
  /** Date.now() when the peer accepted it (answered 250) */
  receivedAt: number;
}

export interface SmtpPeerOptions {
  /** wait this long before accepting each message, as a real server takes a moment: a sender killed mid-send is then killed mid-message */
  acceptDelayMs?: number;
}

type Fault = { kind: 'reply'; code: number; message: string } | { kind: 'drop' };

export interface SmtpPeer {
  port: number;
  /** smtp://127.0.0.1:port */
  url: string;
  received: ReceivedMessage[];
  /** the next `n` messages get this reply at the end of DATA (421, 451, 550, 554, …) */
  failNext(n: number, code: number, message?: string): void;
  /** every RCPT TO of this address gets this reply, until cleared with code 0 */
  failRecipient(address: string, code: number, message?: string): void;
  /** the next `n` messages: the connection is closed in the middle of DATA */
  dropNext(n: number): void;
  /** resolves once `n` messages have arrived (or rejects after `ms`) */
  waitFor(n: number, ms?: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

interface SmtpError extends Error {
  responseCode?: number;
}

function smtpError(code: number, message: string): SmtpError {
  const e: SmtpError = new Error(message);
  e.responseCode = code;
  return e;
}

export async function startSmtpPeer(opts: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const received: ReceivedMessage[] = [];
  const faults: Fault[] = [];
  const recipientFaults = new Map<string, { code: number; message: string }>();
  const waiters = new Set<() => void>();
  const server: SMTPServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const fault = recipientFaults.get(address.address.toLowerCase());
      callback(fault ? smtpError(fault.code, fault.message) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      const fault = faults.shift();
      if (fault?.kind === 'drop') {
        stream.once('data', () => dropConnection(server, session));
        stream.resume();
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (fault?.kind === 'reply') return callback(smtpError(fault.code, fault.message));
        const raw = Buffer.concat(chunks).toString('utf8');
        const delay = new Promise((r) => setTimeout(r, opts.acceptDelayMs ?? 0));
        Promise.all([simpleParser(raw), delay]).then(
          ([parsed]) => {
            received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              headerLines: headerLines(raw),
              receivedAt: Date.now(),
            });
            for (const w of waiters) w();
            callback();
          },
          (e: Error) => callback(e),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // a client that dies mid-session (the digest crash test kills its sender) resets its socket:
  // smtp-server reports it as an error, which is the client's doing, not the peer's
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    failNext(n, code, message = code < 500 ? 'Try again later' : 'Mailbox unavailable') {
      for (let i = 0; i < n; i++) faults.push({ kind: 'reply', code, message });
    },
    failRecipient(address, code, message = code < 500 ? 'Greylisted, try again later' : 'No such user') {
      if (code === 0) recipientFaults.delete(address.toLowerCase());
      else recipientFaults.set(address.toLowerCase(), { code, message });
    },
    dropNext(n) {
      for (let i = 0; i < n; i++) faults.push({ kind: 'drop' });
    },
    waitFor(n, ms = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < n) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(received.slice());
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${received.length} of ${n} messages arrived within ${ms} ms`));
        }, ms);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** smtp-server keeps its connections to itself: find this session's and cut its socket. */
function dropConnection(server: SMTPServer, session: SMTPServerSession): void {
  const connections = (server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }).connections;
  for (const c of connections) if (c.id === session.id) c._socket.destroy();
}

function headerLines(raw: string): { key: string; line: string }[] {
  const end = raw.indexOf('\r\n\r\n');
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
  return head.split('\r\n').map((line) => ({ key: line.slice(0, line.indexOf(':')).toLowerCase(), line }));
}
