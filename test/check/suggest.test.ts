import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, didYouMeanSuffix } from '../../src/diagnostics/suggest.js';

describe('closestName', () => {
  it('finds a name one typo away, a swapped pair of letters counting as one', () => {
    expect(closestName('renwal_date', ['renewal_date', 'arr'])).toBe('renewal_date');
    expect(closestName('emial', ['email', 'notify', 'escalate'])).toBe('email');
  });

  it('allows one typo per three letters', () => {
    expect(closestName('playbk', ['playbook'])).toBe('playbook');
    expect(closestName('plybk', ['playbook'])).toBeUndefined();
    expect(closestName('ab', ['xy'])).toBeUndefined();
  });

  it('breaks ties alphabetically, whatever the order of the candidates', () => {
    expect(closestName('cat', ['cot', 'bat'])).toBe('bat');
    expect(closestName('cat', ['bat', 'cot'])).toBe('bat');
  });

  it('suggests nothing without candidates', () => {
    expect(closestName('csm', [])).toBeUndefined();
  });
});

describe('didYouMean and didYouMeanSuffix', () => {
  it('phrase the suggestion as a hint and as a message suffix', () => {
    expect(didYouMean('us-busines', new Set(['us-business']))).toBe('did you mean `us-business`?');
    expect(didYouMeanSuffix('segmnt', ['segment'])).toBe('; did you mean `segment`?');
  });

  it('give nothing when no name is close', () => {
    expect(didYouMean('zzz', ['segment'])).toBeUndefined();
    expect(didYouMeanSuffix('zzz', ['segment'])).toBe('');
  });
});
