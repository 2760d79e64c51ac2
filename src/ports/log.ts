/**
 * Where services and jobs say what they did: a sentence, and for a job's run the figures a log
 * search wants as fields (job, counts, seconds). `serve` writes both as one JSON line through
 * pino (delivery/logging.ts); commands print the sentence on stderr; tests usually drop both.
 */
export type LogFields = Record<string, string | number | boolean | null>;

export type Log = (message: string, fields?: LogFields) => void;
