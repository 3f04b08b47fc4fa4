// The real headless Chromium the browser tests drive (through playwright-core, which downloads nothing):
// `$MESHSPEC_CHROMIUM`, else the first of chromium / chromium-browser / google-chrome on PATH. Missing is a
// failure with the fix, never a skip: `.ci/run` installs the Debian `chromium` package when it can.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

export function findChromium(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.MESHSPEC_CHROMIUM;
  if (given) {
    if (!isExecutable(given)) throw new Error(`MESHSPEC_CHROMIUM=${given} is not an executable file; point it at a Chromium or Chrome binary`);
    return given;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of NAMES) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  throw new Error(
    [
      `no Chromium found (looked for ${NAMES.join(', ')} on PATH, and $MESHSPEC_CHROMIUM): the plan picture is checked in a real headless browser.`,
      'Install one: `apt-get install -y chromium` (Debian/Ubuntu; `.ci/run` does this itself), or set MESHSPEC_CHROMIUM=/path/to/chrome.',
    ].join('\n'),
  );
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  // Chromium refuses its sandbox as root (CI containers); the pages it opens here are our own files.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath, headless: true, args });
}
