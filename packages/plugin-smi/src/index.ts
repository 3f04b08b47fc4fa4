import { smiPlugin } from './plugin.js';

export { smiPlugin };
export default smiPlugin;
export * from './schema.js';
export { splitApiOf, needsSmi023, type SplitApi } from './split-api.js';
export { backendsFor, equalWeights, renderHttpRoute, renderTrafficSplit, type Backend, type MeshFacts } from './render.js';
export { installStep, renderSplitFor, smiSteps, splitStep, SMI_ADAPTOR, SMI_NAMESPACE, type SplitNeighbours } from './steps.js';
export { validateSmi } from './validate.js';
export { verifySplits } from './verify/verify.js';
export { expectedBackends, attributeAnswer, type ExpectedBackend } from './verify/expected.js';
export { tlsEvidence, type TlsEvidence } from './verify/proxy-metrics.js';
