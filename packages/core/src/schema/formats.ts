// String formats plugins may use in their schemas (`format: cidr`). ajv ships none by default, and the
// ones a mesh topology needs are few, so they are defined here rather than pulling in ajv-formats.

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}/(3[0-2]|[12]?\\d)$`);

export const FORMATS: Record<string, (value: string) => boolean> = {
  ipv4: (value) => IPV4.test(value),
  cidr: (value) => CIDR.test(value),
  /** `a.b.c.d-a.b.c.e` (MetalLB address pool range). */
  'ipv4-range': (value) => {
    const [from, to, extra] = value.split('-');
    return extra === undefined && from !== undefined && to !== undefined && IPV4.test(from) && IPV4.test(to);
  },
  'dns-label': (value) => /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value),
  /** Service names: a DNS-1035 label (starts with a letter), at most 63 characters. */
  'dns-1035-label': (value) => /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value),
  /** Most object names: a DNS-1123 subdomain, at most 253 characters. */
  'dns-subdomain': (value) => value.length <= 253 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(value),
  /**
   * A kube context name: kubeconfig allows almost anything, but it is passed as a command argument
   * (`--context <name>`), so no leading '-', no whitespace or control characters, at most 253 characters.
   */
  'kube-context': (value) => value.length <= 253 && /^[^-\s\p{Cc}][^\s\p{Cc}]*$/u.test(value),
  /** An absolute http(s) URL with a host, e.g. an API server address. */
  url: (value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
    } catch {
      return false;
    }
  },
};

/** "is not <words>" / "write <words>" for each format. */
export const FORMAT_DESCRIPTIONS: Record<string, string> = {
  ipv4: 'an IPv4 address like 172.18.0.10',
  cidr: 'an IPv4 CIDR range like 10.96.0.0/16',
  'ipv4-range': 'an IPv4 address range like 172.18.255.200-172.18.255.250',
  'dns-label': 'a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)',
  'dns-1035-label': 'a DNS-1035 label (a lowercase letter, then lowercase letters, digits and "-", at most 63 characters)',
  'dns-subdomain': 'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253 characters)',
  'kube-context': 'a kube context name (no spaces or control characters, not starting with "-", at most 253 characters)',
  url: 'an http(s) URL like https://172.18.0.2:6443',
};
