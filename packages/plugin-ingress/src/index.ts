import { ingressPlugin } from './plugin.js';

export { ingressPlugin };
export default ingressPlugin;
export * from './schema.js';
export {
  controllerValues,
  envoyGatewayNamespace,
  gatewayApiObjects,
  hostFor,
  renderGatewayObjects,
  renderHttpRoute,
  renderIngress,
} from './render.js';
export {
  controllerRelease,
  controllerStep,
  envoyGatewayRelease,
  envoyGatewayStep,
  gatewayStep,
  hostOf,
  httpRouteStep,
  ingressSteps,
  ingressSummary,
  routeStep,
} from './steps.js';
export { validateIngress } from './validate.js';
export { verifyIngress, httpGet, type HttpGet } from './verify.js';
export { PLUGIN_INGRESS_PINS, INGRESS_NGINX_PIN, ENVOY_GATEWAY_PIN } from './pins.js';
