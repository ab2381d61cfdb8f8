/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside the commit that
 * crosses its threshold and fsyncs there, stalling the event loop for milliseconds: it set the p99
 * of small writes (../shared/PERF-BASELINE.md, "auto-checkpoint off"). Once a database sees steady
 * writes, a worker thread with its own connection runs PASSIVE checkpoints instead — they never
 * block the writer — and the main connection's automatic checkpoints are turned off. If the worker
 * ever stops, automatic checkpoints are turned back on, so the WAL cannot grow without bound.
 */
import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import { driverEntry } from './driver.js';

const INTERVAL_MS = 100;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: try again next tick */ }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  db.close();
  parentPort.close();
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private stopped = false;
  private exited = false;

  constructor(private readonly db: Database.Database, file: string) {
    const driver = driverEntry();
    // The worker only calls SQLite: a small heap keeps its memory small.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true, workerData: { driver, file, intervalMs: INTERVAL_MS },
      resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 },
    });
    this.worker.unref();
    this.worker.once('online', () => {
      if (!this.stopped) db.pragma('wal_autocheckpoint = 0');
    });
    const fallBack = () => {
      if (!this.stopped && db.open) db.pragma('wal_autocheckpoint = 1000');
    };
    this.worker.once('error', fallBack);
    this.worker.once('exit', () => {
      this.exited = true;
      fallBack();
    });
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.exited) return;
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    // Keep the process alive until the worker has closed its connection.
    this.worker.ref();
    this.worker.postMessage('stop');
    await exited;
  }
}
