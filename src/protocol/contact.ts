// What a node tells a satellite at check-in, and its wire form (CheckInRequest): one definition
// for both sides of /stowage/contact/1.0.0.
import type { CheckInRequest } from './generated/satellite.js';

export interface CheckInInfo {
  addresses: string[];
  capacity: number;
  freeSpace: number;
  version: string;
  wallet: string;
  email: string;
}

export function toCheckInRequest(info: CheckInInfo): CheckInRequest {
  return { ...info, capacity: BigInt(info.capacity), freeSpace: BigInt(info.freeSpace) };
}

export function fromCheckInRequest(req: CheckInRequest): CheckInInfo {
  return { ...req, capacity: Number(req.capacity), freeSpace: Number(req.freeSpace) };
}
