// Contact: nodes check in with their addresses (endpoint); the satellite dials them back to prove
// them reachable (dial) and checks every node's uptime on a schedule (uptime).
export { CONTACT_DEFAULTS, type ContactConfig } from './config.js';
export { connectNode, dialBack, isDialable, DIAL_BACK_MESSAGES, type DialBackResult, type DialBackOptions, type DialFailure, type ReachedAddress } from './dial.js';
export { MAX_ANNOUNCED_ADDRESSES, DialBackSlots, checkIn, handleCheckIn, type CheckInOutcome, type ContactContext, type NodeReaches } from './endpoint.js';
export { checkUptime, type UptimeDeps, type UptimeResult } from './uptime.js';
