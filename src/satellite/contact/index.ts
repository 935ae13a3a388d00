// Contact: nodes check in (with a dial-back to prove they are reachable), and the uptime checks that dial them.
export { MAX_ANNOUNCED_ADDRESSES, connectNode, dialBack, handleCheckIn, type DialBackResult, type ContactContext } from './contact.js';
