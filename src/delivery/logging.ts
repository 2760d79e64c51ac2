/**
 * serve's logger (issue 14, decision 036): pino, the logger Fastify itself is built on, writing
 * JSON lines to stderr at PAPERBOY_LOG_LEVEL. The web app hands it to Fastify, whose request
 * logger adds each request's id; the jobs log through `logFunction`, a sentence and its fields.
 */
import { pino, type Logger } from 'pino';
import type { Config } from '../config.js';
import type { Log } from '../ports/log.js';

export function createLogger(config: Pick<Config, 'PAPERBOY_LOG_LEVEL'>, destination: NodeJS.WritableStream | number = 2): Logger {
  return pino(
    { level: config.PAPERBOY_LOG_LEVEL, timestamp: pino.stdTimeFunctions.isoTime, base: { pid: process.pid } },
    // written as it comes, but not waited for: the lines logged while a write is under way go out
    // together in the next (a synchronous write per request was a tenth of a small request's CPU on
    // the thread that answers everyone). pino writes what is left synchronously when the process
    // exits (process.exit included: a second Ctrl-C loses nothing); a SIGKILL can lose the last lines
    typeof destination === 'number' ? pino.destination({ dest: destination, sync: false, minLength: 0 }) : destination,
  );
}

/**
 * The sentences jobs log, at info, or at error when they say something failed: the jobs' log
 * calls say "… failed: <stack>" or "cannot …" for their failures and nothing else does, so
 * PAPERBOY_LOG_LEVEL=warn keeps the failures and drops the routine.
 */
export function logFunction(logger: Logger): Log {
  return (message, fields) => {
    const failure = FAILURE.test(message);
    if (fields) logger[failure ? 'error' : 'info'](fields, message);
    else logger[failure ? 'error' : 'info'](message);
  };
}

const FAILURE = /\b(failed|cannot|could not)\b/;
