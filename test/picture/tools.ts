// The real tools the picture tests draw with: headless Chromium (driven through playwright-core, which
// downloads nothing) and Graphviz `dot`. Found through `$MESHSPEC_CHROMIUM` / `$MESHSPEC_DOT`, else on
// PATH. Missing is a failure that says how to install it, never a skip: `.ci/run` installs both.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

interface Tool {
  what: string;
  variable: string;
  names: string[];
  install: string;
}

const CHROMIUM: Tool = {
  what: 'Chromium (the html picture is checked in a real headless browser)',
  variable: 'MESHSPEC_CHROMIUM',
  names: ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'],
  install: '`apt-get install -y chromium` (Debian/Ubuntu)',
};
const DOT: Tool = {
  what: 'Graphviz dot (the dot picture is rendered by the real tool)',
  variable: 'MESHSPEC_DOT',
  names: ['dot'],
  install: '`apt-get install -y graphviz` (Debian/Ubuntu)',
};

function find(tool: Tool, env: NodeJS.ProcessEnv): string {
  const given = env[tool.variable];
  if (given) {
    if (!isExecutable(given)) throw new Error(`${tool.variable}=${given} is not an executable file; point it at ${tool.names[0]}`);
    return given;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of tool.names) if (isExecutable(join(dir, name))) return join(dir, name);
  }
  throw new Error(
    `no ${tool.what} found: looked for ${tool.names.join(', ')} on PATH and $${tool.variable}.\n` +
      `Install it: ${tool.install} — \`.ci/run\` does this itself — or set ${tool.variable}=/path/to/${tool.names[0]}.`,
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

export const findChromium = (env: NodeJS.ProcessEnv = process.env) => find(CHROMIUM, env);
export const findDot = (env: NodeJS.ProcessEnv = process.env) => find(DOT, env);

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  // Chromium refuses its sandbox as root (CI containers); the pages it opens here are our own files.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath, headless: true, args });
}

/** One browser per test file, launched by the first test that needs it (so a missing Chromium FAILS each test). */
export function sharedChromium(): { get(): Promise<Browser>; close(): Promise<void> } {
  let launched: Promise<Browser> | undefined;
  return {
    get: () => (launched ??= launchChromium()),
    close: async () => {
      await launched?.then(
        (browser) => browser.close(),
        () => {},
      );
    },
  };
}
