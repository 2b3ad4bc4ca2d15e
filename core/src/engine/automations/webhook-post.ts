import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { addressRefusal, publicLookup } from './public-address.ts';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Whether loopback and private addresses may be reached (automations.webhookPrivateNetworks). */
  privateNetworks: boolean;
}

/**
 * POSTs a delivery and resolves with the answer's status; a redirect is an answer, never followed (its
 * target would escape the address check). Rejects on a refused address, a network error or the timeout.
 * One connection per delivery: a kept-alive socket would skip the lookup that checks the address.
 */
export function postWebhook(post: WebhookPost): Promise<number> {
  const url = new URL(post.url);
  const refusal = post.privateNetworks ? undefined : addressRefusal(url.hostname);
  if (refusal) return Promise.reject(new Error(refusal));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { ...post.headers, 'content-length': String(Buffer.byteLength(post.body)) },
        signal: AbortSignal.timeout(post.timeoutMs),
        ...(post.privateNetworks ? {} : { lookup: publicLookup }),
      },
      (response) => {
        resolve(response.statusCode ?? 0);
        response.destroy();
      },
    );
    request.on('error', reject);
    request.end(post.body);
  });
}
