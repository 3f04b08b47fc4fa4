// apply no longer re-issues an expiring issuer by itself (that re-ran `linkerd upgrade` on every cluster,
// and again on the next apply); it tells the user to rotate, which rolls the issuer out without downtime.
import type { StepContext } from '@meshspec/core/plugin';
import { durationMs } from '../duration.js';
import { CERT_FILES, notAfterOf } from '../identity.js';
import { withDefaults, type LinkerdSection } from '../schema.js';

/** A warning line when the stored issuer expires within `issuerRenewBefore`, else nothing. */
export async function issuerRenewalWarning(raw: LinkerdSection, ctx: Pick<StepContext, 'secrets'>, now = new Date()): Promise<string[]> {
  const section = withDefaults(raw);
  const issuer = await ctx.secrets.read(CERT_FILES.issuerCert);
  if (!issuer) return [];
  const left = notAfterOf(issuer).getTime() - now.getTime();
  if (left > durationMs(section.issuerRenewBefore)) return [];
  const when =
    left <= 0
      ? `expired on ${notAfterOf(issuer).toISOString()}`
      : `expires in ${Math.floor(left / 86_400_000)} days (${notAfterOf(issuer).toISOString()})`;
  return [
    `warning: the Linkerd issuer ${when}, within issuerRenewBefore (${section.issuerRenewBefore}): run meshspec rotate <topology.yaml> --issuer`,
  ];
}
