/** The GatewayRuntime (config and connections). */
export const GATEWAY_RUNTIME = Symbol('GATEWAY_RUNTIME');
