import t from 'tap';
import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo } from 'node:net';
import { NatsBus } from '../src/realtime/nats-bus.ts';

// The bus on its own, against the NATS server the suite runs beside (no database involved).
const NATS = new URL(process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
const DELAY_MS = 150;

/** A TCP relay to NATS that holds what the client sends for DELAY_MS (in order): a slow link to the server. */
async function slowLink(): Promise<{ url: string; close: () => void }> {
  const server = createServer((client) => {
    const upstream = connect(Number(NATS.port || 4222), NATS.hostname);
    upstream.pipe(client);
    client.on('data', (chunk) => setTimeout(() => upstream.write(chunk), DELAY_MS));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `nats://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

t.test('a node that has started hears what another node publishes at once, even over a slow link', async (t) => {
  const errors: Error[] = [];
  const link = await slowLink();
  t.teardown(link.close);
  const sender = new NatsBus(NATS.toString(), (error) => errors.push(error));
  await sender.start();
  t.teardown(() => sender.stop());
  // start() resolves once the server has the subscriptions. Before, it resolved when they were only written
  // on the socket: a message another node published in the next moments passed them and was lost.
  const receiver = new NatsBus(link.url, (error) => errors.push(error));
  await receiver.start();
  t.teardown(() => receiver.stop());
  const tenantId = randomUUID();
  const arrived = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 5000);
    receiver.onEvents((tenant, cursor) => {
      if (tenant !== tenantId || cursor !== 7) return;
      clearTimeout(timer);
      resolve(true);
    });
  });
  sender.committed(tenantId, 7);
  t.ok(await arrived, 'the message published right after the start arrived');
  t.same(errors, []);
});
