import { describe, expect, it } from 'vitest';
import { type CsvRecord, readCsvRecords } from './csv-records.ts';

async function read(chunks: (string | Buffer)[]): Promise<CsvRecord[]> {
  const all: CsvRecord[] = [];
  for await (const batch of readCsvRecords(chunks)) all.push(...batch);
  return all;
}

const oneByOne = (text: string) => [...Buffer.from(text, 'utf8')].map((byte) => Buffer.from([byte]));

describe('readCsvRecords', () => {
  const text = '\uFEFFa,b,c\r\n1,2,3\r\n\r\n"x\ny","say ""hi""",3\n7,"ab"c,9\n8,9,10\n4,5\n"open,1,2\n9,9,9';

  it('gives each record the physical line it starts on, with quotes, CRLF, BOM and blank lines', async () => {
    expect(await read([text])).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
      { line: 4, fields: ['x\ny', 'say "hi"', '3'] },
      { line: 6, error: 'column 2: a closing quote must be followed by a comma or the end of the line' },
      { line: 7, fields: ['8', '9', '10'] },
      { line: 8, fields: ['4', '5'] },
      { line: 9, error: 'a quoted field is not closed' },
      { line: 10, fields: ['9', '9', '9'] },
    ]);
  });

  it('reads the same records however the bytes are cut (multi-byte characters split too)', async () => {
    const japanese = 'a,b\n山田,"千代田区丸の内,一丁目"\n佐藤,ｻﾄｳ\n';
    const whole = await read([japanese]);
    expect(whole).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['山田', '千代田区丸の内,一丁目'] },
      { line: 3, fields: ['佐藤', 'ｻﾄｳ'] },
    ]);
    expect(await read(oneByOne(japanese))).toEqual(whole);
    expect(await read(oneByOne(text))).toEqual(await read([text]));
  });

  it('refuses a quote inside an unquoted field and carries on with the next line', async () => {
    expect(await read(['a,b"c\nd,e\n'])).toEqual([
      { line: 1, error: 'column 2: a quote inside an unquoted field' },
      { line: 2, fields: ['d', 'e'] },
    ]);
  });

  it('bounds what an unclosed quote can hold back, then resumes on the next line', async () => {
    const filler = 'x,y\n'.repeat(20_000); // 80,000 characters after the stray quote
    const records = await read(['"open\n', filler, 'tail,"q"\n']);
    expect(records[0]).toEqual({ line: 1, error: 'a quoted field is not closed' });
    expect(records[1]).toEqual({ line: 2, fields: ['x', 'y'] });
    expect(records.at(-1)).toEqual({ line: 20_002, fields: ['tail', 'q'] });
  });

  it('reads a last line without a newline, and an empty input as no records', async () => {
    expect(await read(['a,b'])).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(await read(['"a","b"'])).toEqual([{ line: 1, fields: ['a', 'b'] }]);
    expect(await read([])).toEqual([]);
  });
});
