// Overlay: the nodes the satellite knows (NodeDB: check-ins, flags, uptime windows) and how
// segments pick among them (selection).
export { type NodeDB, type NodeFlags, type NodeRecord, type UptimeOptions, type CheckInInfo } from './db.js';
export { NotEnoughNodesError, subnetOf, isEligible, selectNodes, type SelectionOptions } from './selection.js';
