// Plan lines every plugin writes the same way, so `meshspec plan` reads as one tool's output.

/**
 * "Server-side apply through meshspec's Kubernetes client into `context`", with what is applied: a CLI
 * whose output is piped in (`linkerd install --crds`) or a list of objects.
 */
export function applyPlanLine(context: string, what: string): string {
  return `kubectl apply --server-side (meshspec) --context ${context} <- ${what}`;
}
