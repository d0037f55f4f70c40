/**
 * OpenAI-compatible answers (pure): the prediction of a chat or text completion is its text,
 * of an embedding its length. A streamed answer (server-sent events) is read as the
 * concatenation of its deltas, so streamed and buffered answers log and compare the same.
 */
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `data:` payloads of an event stream, in order, without the final `[DONE]`. */
export function sseData(text: string): string[] {
  const out: string[] = [];
  let cur: string[] | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') {
      if (cur) out.push(cur.join('\n'));
      cur = undefined;
    } else if (line.startsWith('data:')) (cur ??= []).push(line.slice(line.charCodeAt(5) === 32 ? 6 : 5));
  }
  if (cur) out.push(cur.join('\n'));
  return out.filter((d) => d !== '[DONE]');
}

/** An answer body as a JSON object: the body itself, or a stream folded into one `choices` list. */
export function openaiAnswer(body: Buffer | undefined, limit: number): unknown {
  if (!body || body.length === 0 || body.length > limit) return undefined;
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    /* an event stream */
  }
  const texts: string[] = [];
  for (const d of sseData(text)) {
    let ev: unknown;
    try {
      ev = JSON.parse(d);
    } catch {
      continue;
    }
    if (!isObject(ev) || !Array.isArray(ev.choices)) continue;
    for (const c of ev.choices) {
      if (!isObject(c)) continue;
      const i = typeof c.index === 'number' && c.index >= 0 && c.index < 1024 ? c.index : 0;
      const piece = isObject(c.delta) ? c.delta.content : c.text;
      if (typeof piece === 'string') texts[i] = (texts[i] ?? '') + piece;
    }
  }
  return { choices: Array.from(texts, (t, index) => ({ index, text: t ?? '' })) };
}

/** Text per choice, or embedding length per item. */
export function openaiPredictions(answer: unknown, max: number): unknown[] {
  if (!isObject(answer)) return [];
  const out: unknown[] = [];
  if (Array.isArray(answer.choices)) {
    for (const c of answer.choices.slice(0, max)) {
      if (!isObject(c)) continue;
      const m = c.message;
      out.push(isObject(m) && typeof m.content === 'string' ? m.content : typeof c.text === 'string' ? c.text : null);
    }
  } else if (Array.isArray(answer.data)) {
    for (const d of answer.data.slice(0, max)) out.push(isObject(d) && Array.isArray(d.embedding) ? d.embedding.length : null);
  }
  return out;
}
