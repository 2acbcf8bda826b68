/**
 * Test support: writes PDFs object by object, so tests can build files that no library would produce
 * (hostile actions, wrong xref offsets, appended revisions, RC4 encryption). Bytes are latin1 strings:
 * each char is one byte.
 */
import { createHash } from 'node:crypto';

/** One indirect object: its body (dictionary, array…) and, for streams, the raw stream bytes. */
export interface RawObject {
  readonly body: string;
  readonly stream?: string;
}

export interface WriteOptions {
  /** Trailer entries besides /Size, e.g. `/Root 1 0 R`. */
  readonly trailer: string;
  /** Shift every xref offset, to make a file whose xref table lies. */
  readonly xrefSkew?: number;
  /** Encrypt strings and streams with this RC4 key derivation (see `rc4Security`). */
  readonly security?: Rc4Security;
}

export const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
export const asLatin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Serialises the objects (numbered from 1) with a classic xref table and one %%EOF. */
export function writePdf(objects: readonly RawObject[], options: WriteOptions): Uint8Array {
  const sec = options.security;
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((obj, i) => {
    offsets.push(out.length + (options.xrefSkew ?? 0));
    out += serialiseObject(i + 1, obj, sec);
  });
  let trailer = `/Size ${objects.length + 1} ${options.trailer}`;
  if (sec) {
    // The encryption dictionary itself is never encrypted.
    offsets.push(out.length);
    out += serialiseObject(objects.length + 1, { body: sec.dict });
    trailer = `/Size ${objects.length + 2} ${options.trailer} /Encrypt ${objects.length + 1} 0 R /ID [<${sec.id}> <${sec.id}>]`;
  }
  const xrefAt = out.length;
  out += `${xrefTable(0, [null, ...offsets])}trailer\n<< ${trailer} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return latin1(out);
}

/**
 * Appends an incremental update to `base`: new or replaced objects, a new xref section chained to the
 * previous one with /Prev, and a second %%EOF.
 */
export function appendRevision(
  base: Uint8Array,
  changed: ReadonlyMap<number, RawObject>,
  trailer: string,
): Uint8Array {
  let out = asLatin1(base);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(out)?.[1] ?? 'NaN');
  let size = 0;
  let xref = 'xref\n';
  for (const [num, obj] of [...changed].sort((a, b) => a[0] - b[0])) {
    const at = out.length;
    out += serialiseObject(num, obj);
    xref += `${num} 1\n${String(at).padStart(10, '0')} 00000 n \n`;
    size = Math.max(size, num + 1);
  }
  const xrefAt = out.length;
  const oldSize = Number(/\/Size (\d+)/.exec(asLatin1(base))?.[1] ?? 0);
  out += `${xref}trailer\n<< /Size ${Math.max(size, oldSize)} /Prev ${prev} ${trailer} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return latin1(out);
}

function serialiseObject(num: number, obj: RawObject, security?: Rc4Security): string {
  const key = security?.objectKey(num, 0);
  let body = obj.body;
  if (key)
    body = body.replace(
      /\((?:[^()\\]|\\.)*\)/g,
      (lit) => `<${Buffer.from(rc4(key, latin1(unescapeLiteral(lit)))).toString('hex')}>`,
    );
  if (obj.stream === undefined) return `${num} 0 obj\n${body}\nendobj\n`;
  const data = key ? asLatin1(rc4(key, latin1(obj.stream))) : obj.stream;
  const dict = body.replace(/>>\s*$/, ` /Length ${data.length} >>`);
  return `${num} 0 obj\n${dict}\nstream\n${data}\nendstream\nendobj\n`;
}

function xrefTable(first: number, offsets: ReadonlyArray<number | null>): string {
  let s = `xref\n${first} ${offsets.length}\n`;
  for (const o of offsets)
    s += o === null ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
  return s;
}

function unescapeLiteral(lit: string): string {
  return lit.slice(1, -1).replace(/\\([()\\])/g, '$1');
}

/** RC4, as the PDF standard security handler (revision 2, 40-bit) uses it. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256).map((_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  let i = 0;
  j = 0;
  for (let k = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

export interface Rc4Security {
  readonly dict: string;
  readonly id: string;
  objectKey(num: number, gen: number): Uint8Array;
}

const PAD = latin1(
  '\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a',
);
const padded = (pw: string): Uint8Array => {
  const out = new Uint8Array(32);
  const b = latin1(pw).slice(0, 32);
  out.set(b);
  out.set(PAD.slice(0, 32 - b.length), b.length);
  return out;
};
const md5 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** Standard security handler R2 (RC4 40-bit), PDF 1.7 §7.6.3, algorithms 2, 3 and 4. */
export function rc4Security(userPassword: string, ownerPassword: string): Rc4Security {
  const id = '0123456789abcdef0123456789abcdef';
  const o = rc4(md5(padded(ownerPassword || userPassword)).slice(0, 5), padded(userPassword));
  const p = -44; // print and copy denied; the numbers do not matter to the tests
  const pBytes = new Uint8Array(new Int32Array([p]).buffer); // little-endian, as the algorithm wants
  const fileKey = md5(padded(userPassword), o, pBytes, Buffer.from(id, 'hex')).slice(0, 5);
  const u = rc4(fileKey, PAD);
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  return {
    id,
    dict: `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${hex(o)}> /U <${hex(u)}> /P ${p} >>`,
    objectKey(num, gen) {
      const extra = new Uint8Array([
        num & 255,
        (num >> 8) & 255,
        (num >> 16) & 255,
        gen & 255,
        (gen >> 8) & 255,
      ]);
      return md5(fileKey, extra).slice(0, 10);
    },
  };
}
