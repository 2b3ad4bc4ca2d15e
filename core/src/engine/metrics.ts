/**
 * What the engine and the realtime layer report for `/api/metrics`. Without ATRIUM_METRICS_TOKEN nothing
 * collects them (`noMetrics`); http/metrics/ holds the Prometheus side.
 */
export interface Metrics {
  /** A write transaction of the tenant committed on this node (with its events). */
  writeCommitted(tenantId: string): void;
  /** This node handed an event to its live sockets, `lagSeconds` after the write's transaction began. */
  eventDelivered(lagSeconds: number): void;
}

export const noMetrics: Metrics = {
  writeCommitted: () => undefined,
  eventDelivered: () => undefined,
};
