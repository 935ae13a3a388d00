/** Protocol ids of the storage node (PROTOCOL.md). */
export const PROTOCOL_UPLOAD = '/stowage/piece/upload/1.0.0';
export const PROTOCOL_DOWNLOAD = '/stowage/piece/download/1.0.0';
export const PROTOCOL_DELETE = '/stowage/piece/delete/1.0.0';
export const PROTOCOL_AUDIT = '/stowage/audit/1.0.0';
export const PROTOCOL_RETAIN = '/stowage/retain/1.0.0';

/** Largest framed message either side accepts: a 256 KiB chunk plus its envelope. */
export const MAX_MESSAGE_BYTES = 256 * 1024 + 4096;
/**
 * Largest first message a storage node reads on its piece protocols (the request with its order
 * limit, or an audit's leaf indices: a few KiB): read before anything is verified, so small.
 * Data chunks ride in later messages.
 */
export const MAX_REQUEST_BYTES = 16 * 1024;
/** Largest data chunk in one upload or download message. */
export const MAX_CHUNK_BYTES = 256 * 1024;

/** Protocol ids of the satellite. */
export const PROTOCOL_CONTACT = '/stowage/contact/1.0.0';
export const PROTOCOL_METAINFO = '/stowage/metainfo/1.0.0';
export const PROTOCOL_PAYOUT = '/stowage/payout/1.0.0';
export const PROTOCOL_NODE_STATS = '/stowage/node-stats/1.0.0';
/** Egress settlement: a node sends the satellite its highest bandwidth order per serial. */
export const PROTOCOL_ORDERS = '/stowage/orders/1.0.0';
/** libp2p's ping, used by dial-backs and uptime checks. */
export const PROTOCOL_PING = '/ipfs/ping/1.0.0';
