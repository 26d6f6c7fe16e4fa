/**
 * The ports a service listens on, from its own settings: what a Swarm service opens
 * (Swarm declares no container ports) and what a Kubernetes container must declare.
 * Loopback-only listeners (InfluxDB's RPC port) are left out: nothing reaches them.
 */
export interface ServiceSettings {
  readonly service: string;
  readonly entrypoint: readonly string[] | null;
  readonly command: readonly string[] | null;
  readonly env: Readonly<Record<string, unknown>>;
}

/** The sensor's iperf3 servers rotate over 16 ports (apps/sensor iperf-servers.ts). */
export const IPERF_PORTS = 16;

const NODE_SERVICES = ['controller', 'sensor', 'monitor', 'flow-discovery', 'result-sink'];

export function listeningPorts(settings: ServiceSettings): string[] {
  const { service, env } = settings;
  const argv = [...(settings.entrypoint ?? []), ...(settings.command ?? [])];
  const ports: string[] = [];
  const tcp = (port: unknown) => ports.push(`${requirePort(service, port)}/tcp`);
  if (NODE_SERVICES.includes(service)) tcp(env.MESHMON_HEALTH_PORT);
  if (service === 'sensor') {
    const base = requirePort(service, env.MESHMON_IPERF_PORT_BASE);
    for (let port = base; port < base + IPERF_PORTS; port += 1)
      ports.push(`${port}/tcp`, `${port}/udp`);
  }
  if (service === 'gateway') tcp(env.MESHMON_GATEWAY_PORT);
  if (service === 'nats') {
    tcp(flag(argv, '--port'));
    tcp(flag(argv, '--http_port'));
  }
  if (service === 'redis') tcp(flag(argv, '--port'));
  if (service === 'influxdb')
    tcp(
      String(env.INFLUXDB_HTTP_BIND_ADDRESS ?? '')
        .split(':')
        .pop(),
    );
  if (ports.length === 0) throw new Error(`${service}: no rule for the ports of this service`);
  return ports.sort();
}

function flag(argv: readonly string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at < 0 ? undefined : argv[at + 1];
}

function requirePort(service: string, value: unknown): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`${service}: ${JSON.stringify(value)} is not a port`);
  return port;
}
