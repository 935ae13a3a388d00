// The gateway's Prometheus metrics (prom-client): requests by operation and status, bytes in and
// out, latency by operation.
import { Counter, Histogram, Registry } from 'prom-client';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'stowage_gateway_requests_total', help: 'S3 requests by operation and HTTP status', labelNames: ['operation', 'status'], registers: [this.registry] });
  readonly bytesIn = new Counter({ name: 'stowage_gateway_bytes_in_total', help: 'payload bytes received (object bodies and parts)', registers: [this.registry] });
  readonly bytesOut = new Counter({ name: 'stowage_gateway_bytes_out_total', help: 'object bytes sent', registers: [this.registry] });
  readonly latency = new Histogram({
    name: 'stowage_gateway_request_duration_seconds',
    help: 'time from the request to the end of the response, by operation',
    labelNames: ['operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry]
  });
}
