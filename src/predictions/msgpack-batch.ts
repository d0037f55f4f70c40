/**
 * A batch of stream entries as one MessagePack value for the log script (batch-writer.ts): an
 * array with one array per entry of its field names and values (the XADD arguments after
 * `key MAXLEN ~ N *`), every element a MessagePack str of the string's UTF-8 bytes. Redis'
 * Lua decodes it with its built-in `cmsgpack.unpack`.
 *
 * Why not JSON: a field value is itself JSON (features, prediction), and escaping it again for
 * cjson took ~4.5 µs of gateway CPU per entry (JSON.stringify of ~800 characters, then the
 * batch string measured and flattened by ioredis, then encoded again for the socket). A str
 * carries the bytes as they are, written once into the Buffer ioredis sends, and the batch
 * stays off the JavaScript heap. Hand-written rather than a MessagePack library: this is the
 * only shape sent (arrays of strings), and a general encoder would walk the values in
 * JavaScript to encode their UTF-8 where `Buffer.write` does it natively.
 *
 * Strings are encoded as `Buffer.write` encodes them (a lone UTF-16 surrogate becomes U+FFFD),
 * as ioredis encodes a plain XADD's arguments, so both write modes store the same bytes.
 */

export interface Fields {
  /** XADD arguments: key MAXLEN ~ N * field value ... (the first `skip` are not encoded) */
  readonly args: readonly string[];
  /** UTF-8 bytes of args[skip..] (entry.ts computes it): sizes the buffer; a short figure only costs a copy */
  readonly bytes: number;
}

/** The largest MessagePack header of an array or a str (0xdd/0xdb + 4 bytes). */
const MAX_HEADER = 5;

/** Writes one batch; grows when an estimate was short (entry sizes are a hint, never trusted). */
class Writer {
  buf: Buffer;
  at = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }

  array(n: number): void {
    this.room(MAX_HEADER);
    const { buf, at } = this;
    if (n < 16) {
      buf[at] = 0x90 | n;
      this.at = at + 1;
    } else if (n < 0x10000) {
      buf[at] = 0xdc;
      buf.writeUInt16BE(n, at + 1);
      this.at = at + 3;
    } else {
      buf[at] = 0xdd;
      buf.writeUInt32BE(n, at + 1);
      this.at = at + 5;
    }
  }

  str(s: string): void {
    // Most fields are short ASCII (names, ids, numbers): copied here, without a native call
    // per string, which cost more than the copy; anything else is measured and written natively.
    if (s.length < 32 && this.ascii(s)) return;
    const n = Buffer.byteLength(s, 'utf8');
    this.room(MAX_HEADER + n);
    const buf = this.buf;
    let at = this.at;
    if (n < 32) buf[at++] = 0xa0 | n;
    else if (n < 0x100) {
      buf[at] = 0xd9;
      buf[at + 1] = n;
      at += 2;
    } else if (n < 0x10000) {
      buf[at] = 0xda;
      buf.writeUInt16BE(n, at + 1);
      at += 3;
    } else {
      buf[at] = 0xdb;
      buf.writeUInt32BE(n, at + 1);
      at += 5;
    }
    this.at = n === 0 ? at : at + buf.write(s, at, n, 'utf8');
  }

  /** A fixstr of `s` (under 32 characters) when it is all ASCII; false (nothing kept) otherwise. */
  private ascii(s: string): boolean {
    const n = s.length;
    this.room(1 + n);
    const buf = this.buf;
    const at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      buf[at + 1 + i] = c;
    }
    buf[at] = 0xa0 | n;
    this.at = at + 1 + n;
    return true;
  }
}

/** The entries' args from index `skip` on, as one MessagePack array of arrays of str. */
export function msgpackBatch(entries: readonly Fields[], skip: number): Buffer {
  let size = MAX_HEADER;
  for (const e of entries) size += MAX_HEADER + e.bytes + MAX_HEADER * (e.args.length - skip);
  const w = new Writer(size);
  w.array(entries.length);
  for (const e of entries) {
    const a = e.args;
    w.array(a.length - skip);
    for (let i = skip; i < a.length; i++) w.str(a[i]);
  }
  return w.buf.subarray(0, w.at);
}
