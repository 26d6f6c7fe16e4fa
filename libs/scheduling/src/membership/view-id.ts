import type { NodeId } from '../core/address.js';

/** FNV-1a over the member list: the view's identity, equal on every node with the same view. */
export function viewIdOf(members: readonly NodeId[]): string {
  let hash = 0x811c9dc5;
  for (const member of members) {
    for (let i = 0; i < member.length; i++) {
      hash ^= member.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash ^= 0x2c;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${members.length}-${hash.toString(16).padStart(8, '0')}`;
}
