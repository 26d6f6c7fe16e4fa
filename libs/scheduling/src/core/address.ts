/** Node names are opaque strings; the simulator and the lab use `n1` … `nN`. */
export type NodeId = string;

/** The three per-node modules. Each runs as its own service and talks only by message. */
export type ModuleKind = 'controller' | 'sensor' | 'monitor';

export interface Address {
  readonly node: NodeId;
  readonly module: ModuleKind;
}

export function addressOf(node: NodeId, module: ModuleKind): Address {
  return { node, module };
}
