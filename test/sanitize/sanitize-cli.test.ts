// `machi sanitize INPUT --out OUTPUT [--json]`: 0 when rebuilt and written, 2 when refused
// (reason on stderr, report with --json), 1 on an internal error.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/modules/sanitize/index.ts';
import { outputProblems } from '../../src/modules/sanitize/pdf/test-checks.ts';
import { corpus } from '../../src/modules/sanitize/pdf/test-corpus.ts';
import { openZip, writeZip } from '../../src/modules/sanitize/zip/index.ts';
import { runMachi } from '../support/machi.ts';

const dir = mkdtempSync(join(tmpdir(), 'machi-sanitize-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const machi = runMachi;

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('machi sanitize', () => {
  it('rebuilds a PDF with JavaScript and prints what it removed (exit 0)', async () => {
    const input = file('in.pdf', await corpus.javascript());
    const out = join(dir, 'out.pdf');
    const run = await machi('sanitize', input, '--out', out);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^type\s+pdf$/m);
    expect(run.stdout).toMatch(/^removed\s+javascript/m);
    expect(await outputProblems(new Uint8Array(readFileSync(out)))).toEqual([]);
  });

  it('prints the report as JSON with --json, and extracts text with --pdf text', async () => {
    const input = file('text.pdf', await corpus.openAction());
    const out = join(dir, 'text.txt');
    const run = await machi('sanitize', input, '--out', out, '--json', '--pdf', 'text');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ detectedType: 'pdf', outcome: 'rebuilt' });
    expect(report.output.mediaType).toMatch(/^text\/plain/);
    expect(report.input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(out, 'utf8')).toContain('Hello, sanitizer');
  });

  it('refuses a program named like a PDF: exit 2, the reason on stderr, no output written', async () => {
    const input = file('申請書.pdf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]));
    const out = join(dir, 'never.pdf');
    const run = await machi('sanitize', input, '--out', out, '--json');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/refused \(type-not-allowed\)/);
    expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'refused', detectedType: 'executable' });
    expect(existsSync(out)).toBe(false);
  });

  it('says what is wrong with the call (exit 2) or the input (exit 1)', async () => {
    expect((await machi('sanitize', '--out', join(dir, 'x'))).code).toBe(2);
    expect((await machi('sanitize', file('a.txt', 'hi'))).stderr).toMatch(/--out is required/);
    expect((await machi('sanitize', file('b.txt', 'hi'), '--out', join(dir, 'y'), '--pdf', 'ocr')).code).toBe(
      2,
    );
    const missing = await machi('sanitize', join(dir, 'nowhere.pdf'), '--out', join(dir, 'z'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENOENT|no such file/);
  });
});

describe('machi sanitize --allow-archives', () => {
  it('rebuilds each file of a ZIP and leaves out the ones that would be refused', async () => {
    const archive = writeZip([
      { name: '申請/memo.csv', data: new TextEncoder().encode('a,b\n=1+1,2\n') },
      { name: '申請/tool.exe', data: new Uint8Array([0x4d, 0x5a, 0x90, 0]) },
      { name: '申請/form.pdf', data: await corpus.launch() },
    ]);
    const input = file('bundle.zip', archive);
    const refusedRun = await machi('sanitize', input, '--out', join(dir, 'refused.zip'));
    expect(refusedRun.code).toBe(2);
    const out = join(dir, 'bundle-clean.zip');
    const run = await machi('sanitize', input, '--out', out, '--allow-archives', '--json');
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.removed).toEqual(
      expect.arrayContaining([
        { kind: 'archive-entry', count: 1, detail: '申請/tool.exe: type-not-allowed' },
        expect.objectContaining({ kind: 'formula' }),
        expect.objectContaining({ kind: 'launch' }),
      ]),
    );
    const rebuilt = openZip(new Uint8Array(readFileSync(out)), DEFAULT_LIMITS);
    expect(rebuilt.entries.map((e) => e.name).sort()).toEqual(['申請/form.pdf', '申請/memo.csv']);
    const pdf = rebuilt.read(rebuilt.get('申請/form.pdf')!);
    expect(await outputProblems(pdf)).toEqual([]);
  });
});
