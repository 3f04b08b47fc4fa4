// Help text is static so `meshspec <cmd> --help` loads nothing heavy.
export const VERSION = '0.1.0';

const COMMON = `  -c, --config <file>     meshspec config (default: searched from the topology's folder)
      --state-dir <dir>   state directory (default: .meshspec/<name>/ beside the topology)
  -v, --verbose           log every command meshspec runs (secrets redacted)
  -h, --help              this help`;

export const HELP: Record<string, string> = {
  main: `meshspec ${VERSION} — one topology.yaml to a working multi-cluster service mesh

Usage: meshspec <command> [options]

Commands:
  validate <file>   check a topology: schema, subnets, references (all problems at once)
  plan <file>       the steps apply would run, in order, with their needs and commands
  apply <file>      build or update everything the topology describes
  destroy <file>    remove what apply made (reverse order)
  status <file>     check the live clusters against the topology
  verify <file>     send real requests through the mesh: split shares, ingress URLs, mTLS
  rotate <file>     rotate the Linkerd issuer (--issuer) or trust anchor (--trust-anchor)
  schema            print the JSON Schema of topology files (for editors)
  doctor [file]     which external tools are needed, found, and at which version
  version           print meshspec's version

Run 'meshspec <command> --help' for a command's options.`,
  validate: `Usage: meshspec validate <file> [options]

Checks the topology against the schema composed from every loaded plugin, then the plugins' semantic
checks (subnet overlaps, unknown clusters, ...). Prints every problem with file:line:column.
Exit code 0 when valid, 1 when not.

Options:
  -o, --output <text|json>  output format (default text)
${COMMON}`,
  plan: `Usage: meshspec plan <file> [options]

Prints the steps apply would run, in dependency order, with their needs and what each will run.
No side effects.

Options:
  -o, --output <format>     text (default), json, or the plan as a picture: mermaid, dot, html (one
                            self-contained page: cluster filter, per-step commands, timings); pictures
                            group steps by cluster, colour them by plugin, grey what is up to date and
                            mark the critical path (durations from the last apply, else estimates)
      --only <pattern>      limit to steps matching a step-id glob (repeatable), e.g. 'linkerd:*', '*@demo'
      --kubeconfig <file>   accepted for symmetry with apply; plan talks to no cluster
${COMMON}`,
  apply: `Usage: meshspec apply <file> [options]

Runs every step whose inputs changed since the last successful apply, as parallel as the step graph
allows. A failed apply resumes where it stopped on the next run.

Options:
      --only <pattern>      run only steps matching a step-id glob (repeatable), plus what they need
      --parallel <r>=<n>    steps of one resource running at once, e.g. cluster-create=2,helm=4 (repeatable;
                            resources: cluster-create, helm, linkerd, kubectl, api; default from CPUs/memory)
      --concurrency <n>     steps running at once whatever their resource (default: no cap beyond --parallel)
      --timeout <duration>  stop the whole run after this long (90s, 30m, 2h): running steps are cancelled
                            as by Ctrl-C (state saved, lock released), exit code 1
  -o, --output <text|json>  text (a live tree on a terminal, plain lines otherwise) or JSON events
      --kubeconfig <file>   kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)
${COMMON}`,
  destroy: `Usage: meshspec destroy <file> [options]

Undoes apply's steps in reverse dependency order and forgets them in the state.

Options:
      --only <pattern>      destroy only steps matching a step-id glob (repeatable)
      --parallel <r>=<n>    steps of one resource running at once, e.g. cluster-create=2 (repeatable)
      --concurrency <n>     steps running at once whatever their resource (default: no cap beyond --parallel)
      --timeout <duration>  stop the whole run after this long (90s, 30m, 2h), as by Ctrl-C; exit code 1
  -o, --output <text|json>  output format
      --kubeconfig <file>   kubeconfig to use
${COMMON}`,
  status: `Usage: meshspec status <file> [options]

Asks every plugin to check the live clusters (trust anchors, gateways, mirrors, expiry) and prints
one line per check. Exit code 1 when a check fails.

Options:
  -o, --output <text|json>  output format (default text)
      --verify              also run 'meshspec verify' (real traffic) after the checks
  -n, --requests <n>        with --verify: requests per split and cluster (default 100)
      --kubeconfig <file>   kubeconfig to use
${COMMON}`,
  verify: `Usage: meshspec verify <file> [options]

Sends real requests through the mesh and reports what answered. For every traffic split, from inside
each cluster that has it, a short-lived meshed client pod sends N requests to the split service; the
clusters that served them are compared with the configured weights (weights are relative: 1/3 means
25%/75%). An observed count passes when it lies in the central 99% interval of the exact binomial
distribution for N requests (Bonferroni-corrected over the split's backends). Mirrors are checked for
endpoints first, and the client proxy's metrics must show the requests went over mTLS (identities seen
are listed). Exposed ingress URLs are requested from this host when reachable, else skipped with why.
Exit code 1 when a check fails.

Options:
  -n, --requests <n>        requests per split and cluster (default 100)
  -o, --output <text|json>  output format (default text)
      --kubeconfig <file>   kubeconfig to use
${COMMON}`,
  rotate: `Usage: meshspec rotate <file> (--issuer | --trust-anchor) [options]

--issuer: a new Linkerd issuer signed by the same trust anchor is written into every cluster's
linkerd-identity-issuer Secret, then each control plane's identity service is restarted, cluster by
cluster; proxies pick up new certificates as theirs renew. 'meshspec status' shows the new expiry.
--trust-anchor: without downtime, in resumable phases: (1) every cluster trusts old + new anchor,
(2) a new issuer from the new anchor everywhere, (3) meshed workloads restarted, (4) the old anchor
removed. An interrupted rotation continues where it stopped on the next run. Refuses to start when the
clusters disagree on the current anchor.

Options:
  -o, --output <text|json>  output format (default text)
      --kubeconfig <file>   kubeconfig to use
${COMMON}`,
  schema: `Usage: meshspec schema [options]

Prints the JSON Schema of topology files, composed from core and every loaded plugin. Save it and
point yaml-language-server at it:  # yaml-language-server: $schema=./topology.schema.json

Options:
  -c, --config <file>     meshspec config with extra plugins
  -h, --help              this help`,
  doctor: `Usage: meshspec doctor [file] [options]

Lists the external tools meshspec's plugins need (kind, docker, helm, linkerd, kubectl ...), whether
they were found and at which version, and host checks (e.g. inotify limits for many kind clusters).
With a topology file, only the plugins it uses are checked. Exit code 1 when something is missing.

Options:
  -o, --output <text|json>  output format (default text)
  -c, --config <file>     meshspec config with extra plugins
  -h, --help              this help`,
  version: `Usage: meshspec version`,
};
