// node:crypto on first use, not at import: most commands (validate, plan) never hash or draw random bytes,
// and loading it costs ~8 ms of a ~45 ms node start (issue 11). Modules that hash import this instead.
export const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');
