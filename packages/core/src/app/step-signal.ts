// Every external call a step makes is cancelled with the step: Ctrl-C must kill a running `kind create`
// or end a LoadBalancer wait even when the plugin did not pass `signal` itself.
import type { CommandRunner } from '../exec/types.js';
import type { KubeClient } from '../kube/types.js';
import type { HelmDriver } from '../tools/helm-types.js';

export function runnerWithSignal(runner: CommandRunner, signal: AbortSignal): CommandRunner {
  return {
    run: (file, args, options = {}) => runner.run(file, args, { signal, ...options }),
    which: (file) => runner.which(file),
  };
}

export function helmWithSignal(helm: HelmDriver, signal: AbortSignal): HelmDriver {
  return {
    upgradeInstall: (release, options = {}) => helm.upgradeInstall(release, { signal, ...options }),
    uninstall: (release, options = {}) => helm.uninstall(release, { signal, ...options }),
    describe: (release) => helm.describe(release),
    status: (release) => helm.status(release),
  };
}

export function kubeWithSignal(kube: KubeClient, signal: AbortSignal): KubeClient {
  return {
    get context() {
      return kube.context;
    },
    apply: (objects, options = {}) => kube.apply(objects, { signal, ...options }),
    get: (...args) => kube.get(...args),
    list: (...args) => kube.list(...args),
    delete: (...args) => kube.delete(...args),
    label: (...args) => kube.label(...args),
    waitForCrdEstablished: (name, options = {}) => kube.waitForCrdEstablished(name, { signal, ...options }),
    waitForRollout: (kind, name, namespace, options = {}) => kube.waitForRollout(kind, name, namespace, { signal, ...options }),
    waitForLoadBalancer: (name, namespace, options = {}) => kube.waitForLoadBalancer(name, namespace, { signal, ...options }),
    waitFor: (apiVersion, kind, name, namespace, predicate, options = {}) =>
      kube.waitFor(apiVersion, kind, name, namespace, predicate, { signal, ...options }),
  };
}
