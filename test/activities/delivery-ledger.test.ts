import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDeliveryLedger } from '../../src/sinks/delivery-ledger.js';
import { appendJsonLine, readJsonLines } from '../../src/sinks/jsonl-file.js';

const ledgerFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'playbook-ledger-')), 'delivered.jsonl');

describe('FileDeliveryLedger', () => {
  it('delivers a key once, and remembers it across instances (restarts)', async () => {
    const file = ledgerFile();
    let deliveries = 0;
    const deliver = async () => void deliveries++;
    expect(await new FileDeliveryLedger(file).once('k', deliver)).toBe(true);
    expect(await new FileDeliveryLedger(file).once('k', deliver)).toBe(false);
    expect(deliveries).toBe(1);
  });

  it('lets an overlapping retry wait for the first attempt instead of delivering again', async () => {
    const ledger = new FileDeliveryLedger(ledgerFile());
    let deliveries = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = ledger.once('k', async () => {
      deliveries++;
      await gate;
    });
    const second = ledger.once('k', async () => void deliveries++);
    release();
    expect(await Promise.all([first, second])).toEqual([true, false]);
    expect(deliveries).toBe(1);
  });

  it('records nothing for a failed delivery, so the retry delivers', async () => {
    const file = ledgerFile();
    const ledger = new FileDeliveryLedger(file);
    await expect(ledger.once('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await readJsonLines(file)).toEqual([]);
    let delivered = false;
    expect(await ledger.once('k', async () => void (delivered = true))).toBe(true);
    expect(delivered).toBe(true);
  });
});

describe('JSON-lines files', () => {
  it('skips a torn last line and starts the next record on a new line', async () => {
    const file = ledgerFile();
    await appendJsonLine(file, { key: 'a' });
    appendFileSync(file, '{"key":"tor');
    await appendJsonLine(file, { key: 'b' });
    expect(readFileSync(file, 'utf8')).toBe('{"key":"a"}\n{"key":"tor\n{"key":"b"}\n');
    expect(await readJsonLines(file)).toEqual([{ key: 'a' }, { key: 'b' }]);
  });
});
