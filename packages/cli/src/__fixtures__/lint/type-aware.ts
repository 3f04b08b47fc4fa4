// Wrong on purpose, for lint-config.test.ts: each finding below needs type information, so the repository's
// eslint config finds them only while its type-aware rules are on. (eslint.config.js ignores this folder.)

export async function save(): Promise<void> {
  await Promise.resolve();
}

export function run(): void {
  save(); // no-floating-promises: the promise's rejection would go nowhere
}

export function greet(name: string | undefined): string {
  return `hello ${name}`; // restrict-template-expressions: prints "hello undefined"
}

export async function twice(n: number): Promise<number> {
  return (await n) * 2; // await-thenable: n is not a promise
}

export function compile(code: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- honoured: nothing is reported on the next line
  return new Function(code);
}

export function plain(): number {
  // eslint-disable-next-line @typescript-eslint/no-floating-promises -- unused: reported, so stale directives cannot pile up
  return 1;
}
