/**
 * A progress bar with rate and ETA for long ingests, on a terminal only: piped output stays
 * quiet (a log or a script gets the summary line and nothing else).
 */
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(bytesRead: number, records: number): void;
  stop(): void;
}

const silent: Progress = { update: () => {}, stop: () => {} };

export function createProgress(label: string, totalBytes: number | null, stream: NodeJS.WriteStream | null): Progress {
  if (!stream?.isTTY || !totalBytes) return silent;
  const started = Date.now();
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {records} papers | {rate}/s | ETA {eta_formatted}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  bar.start(totalBytes, 0, { records: 0, rate: 0 });
  return {
    update(bytesRead, records) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      bar.update(Math.min(bytesRead, totalBytes), { records, rate: Math.round(records / seconds) });
    },
    stop() {
      bar.stop();
    },
  };
}

export interface Counter {
  update(done: number): void;
  stop(): void;
}

/**
 * A count with its rate (and a bar and ETA when the total is known), on a terminal only: the
 * subscriptions walked while queueing digests, the messages sent.
 */
export function createCounter(label: string, unit: string, total: number | null, stream: NodeJS.WriteStream | null): Counter {
  if (!stream?.isTTY) return { update: () => {}, stop: () => {} };
  const started = Date.now();
  const known = total !== null && total > 0;
  const bar = new SingleBar({
    stream,
    format: known
      ? `${label} [{bar}] {value}/{total} ${unit} | {rate}/s | ETA {eta_formatted}`
      : `${label} {value} ${unit} | {rate}/s`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  bar.start(known ? total : 0, 0, { rate: 0 });
  return {
    update(done) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      if (known && done > total) bar.setTotal(done);
      bar.update(done, { rate: Math.round(done / seconds) });
    },
    stop() {
      bar.stop();
    },
  };
}

export interface ByteProgress {
  update(done: number, total: number | null): void;
  stop(): void;
}

/** Bytes of one download, with rate and ETA, on a terminal only (`models pull`). */
export function createByteProgress(label: string, stream: NodeJS.WriteStream | null): ByteProgress {
  if (!stream?.isTTY) return { update: () => {}, stop: () => {} };
  const started = Date.now();
  const MB = 1024 * 1024;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {doneMb}/{totalMb} MB | {rate} MB/s | ETA {eta_formatted}`,
    barsize: 24,
    hideCursor: true,
    clearOnComplete: true,
    etaBuffer: 50,
  });
  let startedBar = false;
  return {
    update(done, total) {
      const t = total ?? Math.max(done, 1);
      const payload = { doneMb: (done / MB).toFixed(1), totalMb: total === null ? '?' : (total / MB).toFixed(1), rate: (done / MB / Math.max((Date.now() - started) / 1000, 0.001)).toFixed(1) };
      if (!startedBar) {
        bar.start(t, Math.min(done, t), payload);
        startedBar = true;
      } else {
        if (total === null && done > t) bar.setTotal(done);
        bar.update(Math.min(done, total ?? done), payload);
      }
    },
    stop() {
      if (startedBar) bar.stop();
    },
  };
}
