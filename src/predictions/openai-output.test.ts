import { describe, expect, it } from 'vitest';
import { openaiAnswer, openaiPredictions, sseData } from './openai-output.ts';
import { compareOpenAI } from '../upstream/compare-openai.ts';

const chunk = (index: number, content: string) => `data: ${JSON.stringify({ choices: [{ index, delta: { content } }] })}\n\n`;

describe('OpenAI answers', () => {
  it('reads event streams as their data payloads', () => {
    expect(sseData('event: x\ndata: a\ndata: b\n\ndata: [DONE]\n\n')).toEqual(['a\nb']);
  });
  it('folds a streamed answer into one text per choice', () => {
    const body = Buffer.from(chunk(0, 'Hel') + chunk(1, 'Bon') + chunk(0, 'lo') + 'data: [DONE]\n\n');
    expect(openaiPredictions(openaiAnswer(body, 1e6), 10)).toEqual(['Hello', 'Bon']);
  });
  it('takes chat content, completion text and embedding length', () => {
    expect(openaiPredictions({ choices: [{ message: { content: 'hi' } }, { text: 'yo' }] }, 10)).toEqual(['hi', 'yo']);
    expect(openaiPredictions({ data: [{ embedding: [1, 2, 3] }] }, 10)).toEqual([3]);
    expect(openaiPredictions({ choices: [{ text: 'a' }, { text: 'b' }] }, 1)).toEqual(['a']);
  });
  it('compares streamed and buffered answers by text', () => {
    const streamed = Buffer.from(chunk(0, 'a') + chunk(0, 'b'));
    const buffered = Buffer.from(JSON.stringify({ choices: [{ message: { content: 'ab' } }] }));
    expect(compareOpenAI(streamed, buffered, 1e6).result).toBe('agree');
    expect(compareOpenAI(streamed, Buffer.from(chunk(0, 'x')), 1e6).result).toBe('disagree');
    expect(compareOpenAI(Buffer.from('{}'), buffered, 1e6).result).toBe('incomparable');
  });
});
