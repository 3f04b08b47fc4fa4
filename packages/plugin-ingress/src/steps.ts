import {
  appliedObjectHooks,
  KubeError,
  stepId,
  type HelmRelease,
  type Step,
  type StepContext,
  type StepsContext,
  type Topology,
  applyPlanLine,
} from '@meshspec/core/plugin';
import { linkerdPlugin } from '@meshspec/plugin-linkerd';
import { metallbPlugin } from '@meshspec/plugin-metallb';
import { workloadsPlugin } from '@meshspec/plugin-workloads';
import { controllerValues, envoyGatewayNamespace, hostFor, renderGatewayObjects, renderHttpRoute, renderIngress } from './render.js';
import {
  CHART_REPO,
  CONTROLLER_NAME,
  CONTROLLER_NAMESPACE,
  ENVOY_GATEWAY_CHART,
  ENVOY_GATEWAY_DEPLOYMENT,
  ENVOY_GATEWAY_NAMESPACE,
  ENVOY_GATEWAY_RELEASE,
  GATEWAY_NAME,
  ingressOptions,
  RELEASE,
  type IngressSection,
  type ResolvedExposeSpec,
} from './schema.js';

export function controllerRelease(section: IngressSection, kubeContext: string): HelmRelease {
  const options = ingressOptions(section);
  return {
    release: RELEASE,
    chart: 'ingress-nginx',
    repo: CHART_REPO,
    version: options.chartVersion,
    namespace: CONTROLLER_NAMESPACE,
    kubeContext,
    values: controllerValues(options),
  };
}

function flatten(values: unknown, prefix = ''): string[] {
  if (typeof values !== 'object' || values === null) return [`${prefix}=${String(values)}`];
  return Object.entries(values).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

export function controllerStep(cluster: string, section: IngressSection, ctx: StepsContext): Step {
  const context = ctx.contextOf(cluster);
  const release = controllerRelease(section, context);
  return {
    id: stepId('ingress', 'controller', cluster),
    title: `ingress-nginx ${release.version} in ${cluster}`,
    resource: 'helm',
    estimateSeconds: 60,
    cluster,
    // Meshed controller pods need the proxy injector; its LoadBalancer Service wants MetalLB's pool.
    after: [
      ...ctx.clusters.after(cluster),
      ctx.facts(linkerdPlugin).steps.controlPlane(cluster),
      ctx.facts(metallbPlugin).poolsStep(cluster),
    ],
    plan: [
      `helm upgrade --install ${release.release} ${release.chart} --repo ${release.repo} --version ${release.version} --namespace ${release.namespace} --kube-context ${context} (values: ${flatten(release.values).join(', ')})`,
      `kubectl rollout status deployment/${CONTROLLER_NAME} -n ${CONTROLLER_NAMESPACE} --context ${context}`,
    ],
    inputs: { cluster, release },
    async run(run: StepContext) {
      const kube = run.kube(cluster);
      // The namespace first, so helm never depends on --create-namespace behaviour.
      await kube.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: CONTROLLER_NAMESPACE } }], { signal: run.signal });
      run.progress(`helm ${release.chart} ${release.version}`);
      await run.helm.upgradeInstall(release, { signal: run.signal });
      run.progress(`waiting for ${CONTROLLER_NAME}`);
      await kube.waitForRollout('Deployment', CONTROLLER_NAME, CONTROLLER_NAMESPACE, { timeoutMs: 5 * 60_000, signal: run.signal });
      return { release: RELEASE, chartVersion: release.version };
    },
    async status(run: StepContext) {
      const found = await run.helm.status({ release: release.release, namespace: release.namespace, kubeContext: context });
      return found?.status === 'deployed' && (found.chartVersion === undefined || found.chartVersion === release.version);
    },
    async destroy(run: StepContext) {
      await run.helm.uninstall({ release: release.release, namespace: release.namespace, kubeContext: context }, { signal: run.signal });
      await run.kube(cluster).delete('v1', 'Namespace', CONTROLLER_NAMESPACE);
    },
  };
}

export function hostOf(
  expose: Pick<ResolvedExposeSpec, 'namespace' | 'service'>,
  cluster: string,
  section: IngressSection,
  context: string,
): string {
  return hostFor(ingressOptions(section).hostPattern, { service: expose.service, namespace: expose.namespace, cluster, context });
}

/** The controller's validating webhook can refuse connections for a few seconds after the rollout. */
async function applyWithWebhookRetry(apply: () => Promise<unknown>, signal: AbortSignal, attempts = 10, delayMs = 3000): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await apply();
      return;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (attempt >= attempts || signal.aborted || !/webhook/i.test(message)) throw error;
      await new Promise((r) => setTimeout(r, delayMs));
    }
  }
}

export function routeStep(
  expose: ResolvedExposeSpec,
  cluster: string,
  section: IngressSection,
  ctx: StepsContext,
  retryDelayMs = 3000,
): Step {
  const options = ingressOptions(section);
  const context = ctx.contextOf(cluster);
  const host = hostOf(expose, cluster, section, context);
  const object = renderIngress(expose, host, options);
  const key = `${expose.namespace}/${expose.service}`;
  const url = `http://${host}${expose.path}`;
  return {
    id: stepId('ingress', `route:${key}`, cluster),
    title: `Ingress ${url} -> ${key}:${expose.port} in ${cluster}`,
    resource: 'api',
    estimateSeconds: 2,
    cluster,
    needs: [stepId('ingress', 'controller', cluster)],
    after: [ctx.facts(workloadsPlugin).steps.demo(cluster)],
    plan: [
      applyPlanLine(
        context,
        `Ingress ${key} host ${host} path ${expose.path} -> ${expose.service}:${expose.port} (class ${options.className})`,
      ),
    ],
    inputs: { cluster, object },
    async run(run: StepContext) {
      const kube = run.kube(cluster);
      await applyWithWebhookRetry(() => kube.apply([object], { signal: run.signal }), run.signal, 10, retryDelayMs);
      return { host, url };
    },
    ...appliedObjectHooks(cluster, [object]),
  };
}

export function ingressSteps(topology: Topology, section: IngressSection | undefined, ctx: StepsContext): Step[] {
  if (!section) return [];
  const clusters = Object.keys(topology.clusters);
  const { expose, controller } = ingressOptions(section);
  const exposedIn = (c: string) => expose.filter((e) => (e.clusters ?? clusters).includes(c));
  const gatewayApi = controller === 'envoy-gateway';
  const steps: Step[] = [];
  for (const c of clusters) {
    if (gatewayApi) {
      steps.push(envoyGatewayStep(c, section, ctx), gatewayStep(c, ctx));
      for (const e of exposedIn(c)) steps.push(httpRouteStep(e, c, section, ctx));
    } else {
      steps.push(controllerStep(c, section, ctx));
      for (const e of exposedIn(c)) steps.push(routeStep(e, c, section, ctx));
    }
  }
  return steps;
}

export function envoyGatewayRelease(section: IngressSection, kubeContext: string): HelmRelease {
  return {
    release: ENVOY_GATEWAY_RELEASE,
    chart: ENVOY_GATEWAY_CHART,
    version: ingressOptions(section).envoyGatewayVersion,
    namespace: ENVOY_GATEWAY_NAMESPACE,
    kubeContext,
  };
}

/**
 * Envoy Gateway in its (meshed) namespace. After the Gateway API CRDs step: the chart carries Gateway API
 * CRDs of its own, which helm installs only where none exist, so the pinned standard-channel ones must be
 * there first. After the Linkerd control plane, whose injector meshes the proxies Envoy Gateway creates.
 */
export function envoyGatewayStep(cluster: string, section: IngressSection, ctx: StepsContext): Step {
  const context = ctx.contextOf(cluster);
  const release = envoyGatewayRelease(section, context);
  const namespace = envoyGatewayNamespace(ingressOptions(section));
  return {
    id: stepId('ingress', 'controller', cluster),
    title: `Envoy Gateway ${release.version} in ${cluster}`,
    resource: 'helm',
    estimateSeconds: 60,
    cluster,
    after: [
      ...ctx.clusters.after(cluster),
      ctx.facts(linkerdPlugin).steps.gatewayApi(cluster),
      ctx.facts(linkerdPlugin).steps.controlPlane(cluster),
      ctx.facts(metallbPlugin).poolsStep(cluster),
    ],
    plan: [
      applyPlanLine(
        context,
        `Namespace ${ENVOY_GATEWAY_NAMESPACE}${namespace.metadata.annotations ? ' (linkerd.io/inject: enabled)' : ''}`,
      ),
      `helm upgrade --install ${release.release} ${release.chart} --version ${release.version} --namespace ${release.namespace} --kube-context ${context}`,
      `kubectl rollout status deployment/${ENVOY_GATEWAY_DEPLOYMENT} -n ${ENVOY_GATEWAY_NAMESPACE} --context ${context}`,
    ],
    inputs: { cluster, release, namespace },
    async run(run: StepContext) {
      const kube = run.kube(cluster);
      await kube.apply([namespace], { signal: run.signal });
      run.progress(`helm gateway-helm ${release.version}`);
      await run.helm.upgradeInstall(release, { signal: run.signal });
      run.progress(`waiting for ${ENVOY_GATEWAY_DEPLOYMENT}`);
      await kube.waitForRollout('Deployment', ENVOY_GATEWAY_DEPLOYMENT, ENVOY_GATEWAY_NAMESPACE, {
        timeoutMs: 5 * 60_000,
        signal: run.signal,
      });
      return { release: release.release, chartVersion: release.version };
    },
    async status(run: StepContext) {
      const found = await run.helm.status({ release: release.release, namespace: release.namespace, kubeContext: context });
      return (
        found?.status === 'deployed' &&
        (found.chartVersion === undefined || found.chartVersion === (release.version ?? '').replace(/^v/, ''))
      );
    },
    async destroy(run: StepContext) {
      await run.helm.uninstall({ release: release.release, namespace: release.namespace, kubeContext: context }, { signal: run.signal });
      await run.kube(cluster).delete('v1', 'Namespace', ENVOY_GATEWAY_NAMESPACE);
    },
  };
}

/** meshspec's EnvoyProxy (routingType: Service), GatewayClass and Gateway in one cluster. */
export function gatewayStep(cluster: string, ctx: StepsContext): Step {
  const context = ctx.contextOf(cluster);
  const objects = renderGatewayObjects();
  return {
    id: stepId('ingress', 'gateway', cluster),
    title: `Gateway ${ENVOY_GATEWAY_NAMESPACE}/${GATEWAY_NAME} (Envoy Gateway, routing to Services) in ${cluster}`,
    resource: 'api',
    estimateSeconds: 10, // waits for the Envoy proxy and its address
    cluster,
    needs: [stepId('ingress', 'controller', cluster)],
    plan: objects.map((o) =>
      applyPlanLine(
        context,
        `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}${o.kind === 'EnvoyProxy' ? ' (routingType: Service)' : ''}`,
      ),
    ),
    inputs: { cluster, objects },
    async run(run: StepContext) {
      await run.kube(cluster).apply(objects, { signal: run.signal });
    },
    ...appliedObjectHooks(cluster, objects),
  };
}

export function httpRouteStep(expose: ResolvedExposeSpec, cluster: string, section: IngressSection, ctx: StepsContext): Step {
  const context = ctx.contextOf(cluster);
  const host = hostOf(expose, cluster, section, context);
  const object = renderHttpRoute(expose, host);
  const key = `${expose.namespace}/${expose.service}`;
  const url = `http://${host}${expose.path}`;
  return {
    id: stepId('ingress', `route:${key}`, cluster),
    title: `HTTPRoute ${url} -> ${key}:${expose.port} in ${cluster}`,
    resource: 'api',
    estimateSeconds: 2,
    cluster,
    needs: [stepId('ingress', 'gateway', cluster)],
    after: [ctx.facts(workloadsPlugin).steps.demo(cluster)],
    plan: [
      applyPlanLine(
        context,
        `HTTPRoute ${expose.namespace}/${object.metadata.name} host ${host} path ${expose.path} -> ${expose.service}:${expose.port} (Gateway ${ENVOY_GATEWAY_NAMESPACE}/${GATEWAY_NAME})`,
      ),
    ],
    inputs: { cluster, object },
    async run(run: StepContext) {
      await run.kube(cluster).apply([object], { signal: run.signal });
      return { host, url };
    },
    ...appliedObjectHooks(cluster, [object]),
  };
}

/** URL lines and /etc/hosts lines (address = the controller's LoadBalancer IP, or pending). */
export async function ingressSummary(topology: Topology, section: IngressSection | undefined, ctx: StepContext): Promise<string[]> {
  if (!section) return [];
  const clusters = Object.keys(topology.clusters);
  const { expose, controller } = ingressOptions(section);
  const gatewayApi = controller === 'envoy-gateway';
  const urls: string[] = [];
  const hosts: string[] = [];
  for (const c of clusters) {
    const exposes = expose.filter((e) => (e.clusters ?? clusters).includes(c));
    if (exposes.length === 0) continue;
    let address: string | undefined;
    try {
      address = gatewayApi ? await gatewayAddress(ctx, c) : await nginxAddress(ctx, c);
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
    }
    for (const e of exposes) {
      const host = hostOf(e, c, section, ctx.contextOf(c));
      urls.push(`${c}: http://${host}${e.path} -> ${e.namespace}/${e.service}:${e.port}`);
      hosts.push(
        address
          ? `${address} ${host}`
          : `# ${host}: address pending (${gatewayApi ? `Gateway ${ENVOY_GATEWAY_NAMESPACE}/${GATEWAY_NAME} has no address` : `Service ${CONTROLLER_NAMESPACE}/${CONTROLLER_NAME} has no LoadBalancer IP`} yet)`,
      );
    }
  }
  if (urls.length === 0) return [];
  return ['Ingress URLs:', ...urls.map((u) => `  ${u}`), 'Add to /etc/hosts:', ...hosts.map((h) => `  ${h}`)];
}

async function nginxAddress(ctx: StepContext, cluster: string): Promise<string | undefined> {
  const svc = (await ctx.kube(cluster).get('v1', 'Service', CONTROLLER_NAME, CONTROLLER_NAMESPACE)) as
    { status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } } } | undefined;
  const lb = svc?.status?.loadBalancer?.ingress?.[0];
  return lb?.ip ?? lb?.hostname;
}

/** Envoy Gateway reports the address of the Service it created for the Gateway in the Gateway's status. */
async function gatewayAddress(ctx: StepContext, cluster: string): Promise<string | undefined> {
  const gateway = (await ctx.kube(cluster).get('gateway.networking.k8s.io/v1', 'Gateway', GATEWAY_NAME, ENVOY_GATEWAY_NAMESPACE)) as
    { status?: { addresses?: { value?: string }[] } } | undefined;
  return gateway?.status?.addresses?.[0]?.value;
}
