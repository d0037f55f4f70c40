/**
 * A request body already validated as JSON (http/json-scan.ts), parsed on first use. The hot
 * path validates every body but most requests never need its value (the unit comes from a
 * header, nothing is logged or shadowed): then no object is built. The log parses it when it
 * builds the entry (off the request's path); a body-read unit or an OpenAI route at once.
 */
export class JsonText {
  private parsed = false;
  private v: unknown;
  constructor(readonly bytes: Buffer) {}

  /** the parsed value; the bytes were validated, so this does not throw */
  get value(): unknown {
    if (!this.parsed) {
      this.v = JSON.parse(this.bytes.toString('utf8'));
      this.parsed = true;
    }
    return this.v;
  }
}

/** A request as a value: a JsonText parsed (once), anything else as it is (gRPC's decoded messages). */
export const jsonValue = (request: unknown): unknown => (request instanceof JsonText ? request.value : request);
