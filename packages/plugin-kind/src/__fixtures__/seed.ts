/** The seed procedure's two clusters as a topology; demo3's service subnet is the one the seed got wrong. */
export const seedTopology = (demo3ServiceSubnet = '10.97.0.0/12') => `apiVersion: meshspec.dev/v1alpha1
kind: Topology
metadata: { name: linkerd-multicluster }
clusters:
  demo:
    podSubnet: 10.244.0.0/16
    serviceSubnet: 10.96.0.0/12
  demo3:
    podSubnet: 10.245.0.0/16
    serviceSubnet: ${demo3ServiceSubnet}
kindClusters:
  nodeImage: "kindest/node:v1.24.7@sha256:577c630ce8e509131eab1aea12c022190978dd2f745aac5eb1fe65c0807eb315"
  workers: 2
metallb: { chartVersion: "0.14.9" }
`;
