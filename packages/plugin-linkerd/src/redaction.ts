// Every form in which a Linkerd private key can show up in a tool's output, registered with core's log
// redactor as soon as meshspec holds the key. `linkerd install|upgrade` renders the issuer key into the
// `linkerd-identity-issuer` Secret (base64 of the PEM; some charts also carry the PEM itself), and with
// --verbose the runner streams that output to the debug log.
import { registerSecret } from '@meshspec/core/plugin';

/**
 * Registers the PEM (registerSecret also covers each body line) and the base64 encodings a chart may
 * produce: of the file as written, of the trimmed PEM (what Helm's `b64enc` of a trimmed value gives) and
 * of the trimmed PEM plus one newline.
 */
export function registerKeyPem(pem: string | undefined): void {
  if (!pem?.trim()) return;
  registerSecret(pem);
  const trimmed = pem.trim();
  for (const form of new Set([pem, trimmed, `${trimmed}\n`])) registerSecret(Buffer.from(form).toString('base64'));
}
