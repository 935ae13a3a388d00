// Overlay: the nodes the satellite knows (registry, uptime windows) and how segments pick them (selection).
export { NodeRegistry, type NodeFlags, type NodeRecord, type UptimeOptions, type CheckInInfo } from './registry.js';
export { NotEnoughNodesError, subnetOf, isEligible, selectNodes, type SelectionOptions } from './selection.js';
