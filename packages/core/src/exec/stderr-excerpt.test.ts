import { describe, expect, it } from 'vitest';
import { stderrExcerpt } from './stderr-excerpt.js';

const usage = Array.from({ length: 40 }, (_, i) => `      --flag-${i} string   usage text ${i}`);

describe('stderrExcerpt', () => {
  // Issue 8 problem 5: linkerd prints `Error: ...` and then its usage; keeping only the end hid the cause.
  it.each([
    ['short output: everything', 'Error: x\nUsage: y', ['Error: x', 'Usage: y']],
    [
      'linkerd: the Error line first, then the end of the usage',
      ['Error: context "west" does not exist', 'Usage:', ...usage].join('\n'),
      ['Error: context "west" does not exist', '… (23 more lines)', ...usage.slice(-18)],
    ],
    [
      'kubectl/client-go style lowercase error',
      ['error: the server doesn\'t have a resource type "links"', ...usage].join('\n'),
      ['error: the server doesn\'t have a resource type "links"', '… (22 more lines)', ...usage.slice(-18)],
    ],
    ['no error line: the last 20 lines', usage.join('\n'), usage.slice(-20)],
    ['an error line inside the tail is not repeated', [...usage, 'Error: late'].join('\n'), [...usage.slice(-19), 'Error: late']],
  ])('%s', (_name, stderr, expected) => {
    const out = stderrExcerpt(stderr).split('\n');
    expect(out).toEqual(expected);
    expect(out.length).toBeLessThanOrEqual(20);
  });

  it('keeps at most the first five error lines', () => {
    const errors = Array.from({ length: 8 }, (_, i) => `Error: ${i}`);
    const out = stderrExcerpt([...errors, ...usage].join('\n')).split('\n');
    expect(out.slice(0, 6)).toEqual([...errors.slice(0, 5), '… (29 more lines)']);
    expect(out).toHaveLength(20);
  });
});
