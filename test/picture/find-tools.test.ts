// Without Chromium or Graphviz the picture tests fail and say how to get them: they never skip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium, findDot } from './tools.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-tools-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('finding the drawing tools', () => {
  it.each([
    ['Chromium', findChromium, /no Chromium[\s\S]*apt-get install -y chromium[\s\S]*MESHSPEC_CHROMIUM=/],
    ['dot', findDot, /no Graphviz dot[\s\S]*apt-get install -y graphviz[\s\S]*MESHSPEC_DOT=/],
  ])('%s: fails with the install command when none is on PATH', (_name, find, message) => {
    expect(() => find({ PATH: temp })).toThrow(message);
  });

  it('fails when MESHSPEC_CHROMIUM points at nothing runnable', () => {
    expect(() => findChromium({ MESHSPEC_CHROMIUM: join(temp, 'nope'), PATH: '' })).toThrow(
      `MESHSPEC_CHROMIUM=${join(temp, 'nope')} is not an executable file`,
    );
  });

  it('takes the variable first, else the first name on PATH', () => {
    const fake = join(temp, 'chromium-browser');
    writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ PATH: `/nonexistent:${temp}` })).toBe(fake);
    expect(findChromium({ MESHSPEC_CHROMIUM: fake, PATH: '' })).toBe(fake);
  });
});
