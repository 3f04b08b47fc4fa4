// Without a Chromium the browser tests fail and say how to get one: they never skip.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from './chromium.js';

const temp = mkdtempSync(join(tmpdir(), 'meshspec-chromium-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('findChromium', () => {
  it('fails with the install command when none is on PATH', () => {
    expect(() => findChromium({ PATH: temp })).toThrow(/no Chromium found[\s\S]*apt-get install -y chromium[\s\S]*MESHSPEC_CHROMIUM/);
  });

  it('fails when MESHSPEC_CHROMIUM points at nothing runnable', () => {
    expect(() => findChromium({ MESHSPEC_CHROMIUM: join(temp, 'nope'), PATH: '' })).toThrow(`MESHSPEC_CHROMIUM=${join(temp, 'nope')} is not an executable file`);
  });

  it('takes MESHSPEC_CHROMIUM first, else the first name on PATH', () => {
    const fake = join(temp, 'chromium-browser');
    writeFileSync(fake, '#!/bin/sh\n', { mode: 0o755 });
    expect(findChromium({ PATH: `/nonexistent:${temp}` })).toBe(fake);
    expect(findChromium({ MESHSPEC_CHROMIUM: fake, PATH: '' })).toBe(fake);
  });
});
