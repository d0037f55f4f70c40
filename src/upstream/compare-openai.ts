/**
 * Compares OpenAI-compatible answers (pure), buffered or streamed: texts agree when equal,
 * embeddings when of the same length (their values are not compared).
 */
import { openaiAnswer, openaiPredictions } from '../predictions/openai-output.ts';
import type { Comparison } from './compare.ts';

export function compareOpenAI(live: Buffer, shadow: Buffer, limit: number): Comparison {
  const a = openaiPredictions(openaiAnswer(live, limit), 1024);
  const b = openaiPredictions(openaiAnswer(shadow, limit), 1024);
  if (a.length === 0 || a.length !== b.length) return { result: 'incomparable' };
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return { result: 'disagree' };
  return { result: 'agree' };
}
