import { describe, expect, it } from 'vitest';
import { compareIds } from '../../predictions/schema.ts';
import { groupLag, trimmedUnread } from './loss.ts';

describe('trimmedUnread', () => {
  it('is zero while the stream still starts at or before what the group read', () => {
    expect(trimmedUnread({ length: 5, entriesAdded: 20, firstId: '10-0', lastGeneratedId: '20-0' }, { lastDeliveredId: '12-0', entriesRead: 12, pending: 0 })).toBe(0);
  });
  it('counts the entries trimmed between the last delivered id and the first entry', () => {
    // 20 added, 3 read, 5 left: 12 were trimmed unread (the Redis 7.0 case in RELIABILITY.md)
    const s = { length: 5, entriesAdded: 20, firstId: '16-0', lastGeneratedId: '20-0' };
    const g = { lastDeliveredId: '3-0', entriesRead: 3, pending: 3 };
    expect(trimmedUnread(s, g)).toBe(12);
    expect(groupLag(s, g)).toBe(5);
  });
  it('counts everything unread when the stream was emptied', () => {
    expect(trimmedUnread({ length: 0, entriesAdded: 9, firstId: null, lastGeneratedId: '9-0' }, { lastDeliveredId: '4-0', entriesRead: 4, pending: 0 })).toBe(5);
  });
  it('says nothing when Redis cannot tell entries-read', () => {
    expect(trimmedUnread({ length: 0, entriesAdded: 9, firstId: null, lastGeneratedId: '9-0' }, { lastDeliveredId: '4-0', entriesRead: null, pending: 0 })).toBe(0);
  });
});

describe('compareIds', () => {
  it('orders stream ids numerically', () => {
    expect(compareIds('9-0', '10-0')).toBeLessThan(0);
    expect(compareIds('10-2', '10-10')).toBeLessThan(0);
    expect(compareIds('10-10', '10-10')).toBe(0);
    expect(compareIds('11-0', '10-99')).toBeGreaterThan(0);
  });
});
