// Applying MetalLB custom resources while its validating webhook may still be warming up.
import type { ApplyResult, KubeClient, KubeObject } from '@meshspec/core/plugin';

/**
 * Even with ready webhook endpoints, the first calls can fail for a few seconds: the controller patches
 * its own CA bundle into the webhook configuration after it starts. Those failures are transient.
 */
const WEBHOOK_ERROR = /webhook|failed calling|connection refused|no endpoints available|x509|context deadline exceeded/i;

export const WEBHOOK_RETRY = { attempts: 6, delayMs: 5_000 };

export function isWebhookError(error: unknown): boolean {
  return error instanceof Error && WEBHOOK_ERROR.test(error.message);
}

export async function applyWithWebhookRetry(
  kube: KubeClient,
  objects: KubeObject[],
  options: { attempts: number; delayMs: number; signal?: AbortSignal; onRetry?: (attempt: number, error: Error) => void },
): Promise<ApplyResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await kube.apply(objects, options.signal ? { signal: options.signal } : {});
    } catch (error) {
      if (attempt >= options.attempts || !isWebhookError(error)) throw error;
      options.onRetry?.(attempt, error as Error);
      await sleep(options.delayMs, options.signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
