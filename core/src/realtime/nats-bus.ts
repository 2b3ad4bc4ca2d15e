import { connect, type NatsConnection } from 'nats';
import { StartupError } from '../kernel/errors.ts';
import type { Bus, ControlMessage, Signal } from '../engine/events/bus.ts';
import type { LoggedEvent } from '../engine/events/event-log.ts';
import { Handlers } from './bus.ts';

const EVENTS_SUBJECT = 'atrium.events';
const CONTROL_SUBJECT = 'atrium.control';
const SIGNAL_SUBJECT = 'atrium.signal';

/**
 * Nodes tell each other through NATS instead of PostgreSQL NOTIFY. A write publishes after its commit
 * (NATS is not part of the transaction): if a node dies in between, or NATS drops the message, the
 * others pick the events up at their next catch-up from core_events. This node's own sockets hear at
 * once, without the round trip (the connection is `noEcho`).
 */
export class NatsBus extends Handlers implements Bus {
  private connection: NatsConnection | undefined;

  constructor(
    private readonly url: string,
    private readonly onError: (error: Error) => void,
  ) {
    super();
  }

  committed(tenantId: string, cursor: number, events?: readonly LoggedEvent[]): void {
    this.emitter.emit('events', tenantId, cursor, events);
    this.publish(EVENTS_SUBJECT, `${tenantId}:${cursor}`);
  }

  async control(message: ControlMessage): Promise<void> {
    this.emitter.emit('control', message);
    this.publish(CONTROL_SUBJECT, JSON.stringify(message));
  }

  signal(message: Signal): void {
    this.publish(SIGNAL_SUBJECT, this.stamped(message));
  }

  async start(): Promise<void> {
    let connection: NatsConnection;
    try {
      connection = await connect({ servers: this.url, name: 'atrium', noEcho: true, maxReconnectAttempts: -1, reconnectTimeWait: 500 });
    } catch (error) {
      throw new StartupError([`events: cannot reach NATS at ${this.url} (${(error as Error).message})`]);
    }
    connection.subscribe(EVENTS_SUBJECT, {
      callback: (error, message) => (error ? this.onError(error) : this.emitEvents(message.string())),
    });
    connection.subscribe(CONTROL_SUBJECT, {
      callback: (error, message) => (error ? this.onError(error) : this.emitControl(message.string())),
    });
    connection.subscribe(SIGNAL_SUBJECT, {
      callback: (error, message) => (error ? this.onError(error) : this.emitSignal(message.string())),
    });
    // The server has the subscriptions once it answers a ping sent after them: from then on, nothing another
    // node publishes passes them by. (Until then a message could be lost: the log's catch-up covers events,
    // not presence or control.)
    try {
      await connection.flush();
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw new StartupError([`events: NATS at ${this.url} did not confirm the subscriptions (${(error as Error).message})`]);
    }
    this.connection = connection;
    void this.watch(connection);
  }

  /** After a reconnect, messages sent meanwhile are lost: the hub catches up from the log. */
  private async watch(connection: NatsConnection): Promise<void> {
    for await (const status of connection.status()) {
      if (status.type === 'reconnect') this.emitter.emit('reconnect');
      if (status.type === 'disconnect') this.onError(new Error(`NATS connection lost (${String(status.data)})`));
    }
  }

  private publish(subject: string, payload: string): void {
    try {
      this.connection?.publish(subject, payload);
    } catch (error) {
      this.onError(error as Error); // closed or draining: the catch-up covers what this message would have said
    }
  }

  async stop(): Promise<void> {
    await this.connection?.drain().catch(() => undefined);
  }
}
