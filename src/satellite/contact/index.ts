// Contact: nodes check in with their addresses (endpoint); the satellite dials them back to prove
// them reachable (dial), never at addresses its dial policy refuses (addresses), and checks every
// node's uptime on a schedule (uptime).
export { CONTACT_DEFAULTS, type ContactConfig } from './config.js';
export { connectNode, dialBack, dialPolicyOf, isDialable, restrictDials, DIAL_BACK_MESSAGES, type DialBackResult, type DialBackOptions, type DialFailure, type ReachedAddress, type RefusedAddress } from './dial.js';
export { ALLOW_ALL_ADDRESSES, DialPolicy, dialPolicy, isLoopbackAddress, parseAllowPrivateAddresses, specialRange, type AllowPrivateAddresses, type SpecialRange } from './addresses.js';
export { MAX_ANNOUNCED_ADDRESSES, DialBackSlots, checkIn, handleCheckIn, type CheckInOutcome, type ContactContext, type NodeReaches } from './endpoint.js';
export { checkUptime, type UptimeDeps, type UptimeResult } from './uptime.js';
