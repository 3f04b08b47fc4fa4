// Every external tool a step runs (linkerd, helm, kubectl, linkerd-smi, kind) must see the same
// kubeconfig as the kube client: `--kubeconfig` given to meshspec reaches them as KUBECONFIG, which all
// of them honour (kind also writes the contexts of the clusters it creates there). Done once here, for
// the session's runner, instead of at every call site.
import { resolve } from 'node:path';
import type { CommandRunner } from '../exec/types.js';

/** `runner`, with KUBECONFIG set to `kubeconfig` (made absolute) on every call that does not set its own. */
export function runnerWithKubeconfig(runner: CommandRunner, kubeconfig: string | undefined): CommandRunner {
  if (!kubeconfig) return runner;
  const file = resolve(kubeconfig);
  return {
    run: (command, args, options = {}) => runner.run(command, args, { ...options, env: { KUBECONFIG: file, ...options.env } }),
    which: (command) => runner.which(command),
  };
}
