import { describe, expect, it } from 'vitest';
import { tabResultsKey } from '../../lib/core/report';

describe('tabResultsKey', () => {
  it('is `tab:<tabId>`, the key the README documents for storage.session', () => {
    expect(tabResultsKey(42)).toBe('tab:42');
    expect(tabResultsKey(0)).toBe('tab:0');
  });

  it('gives different tabs different keys', () => {
    expect(tabResultsKey(1)).not.toBe(tabResultsKey(11));
  });
});
