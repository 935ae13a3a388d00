import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export enum PieceAction {
  ACTION_UNSPECIFIED = 'ACTION_UNSPECIFIED',
  PUT = 'PUT',
  GET = 'GET',
  DELETE = 'DELETE',
  AUDIT = 'AUDIT',
  REPAIR_GET = 'REPAIR_GET',
  REPAIR_PUT = 'REPAIR_PUT'
}

enum __PieceActionValues {
  ACTION_UNSPECIFIED = 0,
  PUT = 1,
  GET = 2,
  DELETE = 3,
  AUDIT = 4,
  REPAIR_GET = 5,
  REPAIR_PUT = 6
}

export namespace PieceAction {
  export const codec = (): Codec<PieceAction> => {
    return enumeration<PieceAction>(__PieceActionValues)
  }
}

export interface OrderLimit {
  serialNumber: Uint8Array<ArrayBuffer>
  satelliteId: string
  nodeId: string
  pieceId: Uint8Array<ArrayBuffer>
  action: PieceAction
  byteLimit: bigint
  pieceExpiration: bigint
  orderExpiration: bigint
  orderCreation: bigint
  uplinkPublicKey: Uint8Array<ArrayBuffer>
}

export namespace OrderLimit {
  let _codec: Codec<OrderLimit>

  export const codec = (): Codec<OrderLimit> => {
    if (_codec == null) {
      _codec = message<OrderLimit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.serialNumber != null && obj.serialNumber.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.serialNumber)
        }

        if ((obj.satelliteId != null && obj.satelliteId !== '')) {
          w.uint32(18)
          w.string(obj.satelliteId)
        }

        if ((obj.nodeId != null && obj.nodeId !== '')) {
          w.uint32(26)
          w.string(obj.nodeId)
        }

        if ((obj.pieceId != null && obj.pieceId.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.pieceId)
        }

        if (obj.action != null && __PieceActionValues[obj.action] !== 0) {
          w.uint32(40)
          PieceAction.codec().encode(obj.action, w)
        }

        if ((obj.byteLimit != null && obj.byteLimit !== 0n)) {
          w.uint32(48)
          w.uint64(obj.byteLimit)
        }

        if ((obj.pieceExpiration != null && obj.pieceExpiration !== 0n)) {
          w.uint32(56)
          w.uint64(obj.pieceExpiration)
        }

        if ((obj.orderExpiration != null && obj.orderExpiration !== 0n)) {
          w.uint32(64)
          w.uint64(obj.orderExpiration)
        }

        if ((obj.orderCreation != null && obj.orderCreation !== 0n)) {
          w.uint32(72)
          w.uint64(obj.orderCreation)
        }

        if ((obj.uplinkPublicKey != null && obj.uplinkPublicKey.byteLength > 0)) {
          w.uint32(82)
          w.bytes(obj.uplinkPublicKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          serialNumber: uint8ArrayAlloc(0),
          satelliteId: '',
          nodeId: '',
          pieceId: uint8ArrayAlloc(0),
          action: PieceAction.ACTION_UNSPECIFIED,
          byteLimit: 0n,
          pieceExpiration: 0n,
          orderExpiration: 0n,
          orderCreation: 0n,
          uplinkPublicKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.serialNumber = reader.bytes()
              break
            }
            case 2: {
              obj.satelliteId = reader.string()
              break
            }
            case 3: {
              obj.nodeId = reader.string()
              break
            }
            case 4: {
              obj.pieceId = reader.bytes()
              break
            }
            case 5: {
              obj.action = PieceAction.codec().decode(reader)
              break
            }
            case 6: {
              obj.byteLimit = reader.uint64()
              break
            }
            case 7: {
              obj.pieceExpiration = reader.uint64()
              break
            }
            case 8: {
              obj.orderExpiration = reader.uint64()
              break
            }
            case 9: {
              obj.orderCreation = reader.uint64()
              break
            }
            case 10: {
              obj.uplinkPublicKey = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.serialNumber`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.satelliteId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.nodeId`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.pieceId`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.action`,
                value: PieceAction.codec().decode(reader)
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.byteLimit`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.pieceExpiration`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.orderExpiration`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.orderCreation`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.uplinkPublicKey`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface OrderLimitSerialNumberFieldEvent {
    field: '$.serialNumber'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OrderLimitSatelliteIdFieldEvent {
    field: '$.satelliteId'
    value: string
  }

  export interface OrderLimitNodeIdFieldEvent {
    field: '$.nodeId'
    value: string
  }

  export interface OrderLimitPieceIdFieldEvent {
    field: '$.pieceId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface OrderLimitActionFieldEvent {
    field: '$.action'
    value: PieceAction
  }

  export interface OrderLimitByteLimitFieldEvent {
    field: '$.byteLimit'
    value: bigint
  }

  export interface OrderLimitPieceExpirationFieldEvent {
    field: '$.pieceExpiration'
    value: bigint
  }

  export interface OrderLimitOrderExpirationFieldEvent {
    field: '$.orderExpiration'
    value: bigint
  }

  export interface OrderLimitOrderCreationFieldEvent {
    field: '$.orderCreation'
    value: bigint
  }

  export interface OrderLimitUplinkPublicKeyFieldEvent {
    field: '$.uplinkPublicKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<OrderLimit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, OrderLimit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderLimit>): OrderLimit {
    return decodeMessage(buf, OrderLimit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<OrderLimit>): Generator<OrderLimitSerialNumberFieldEvent | OrderLimitSatelliteIdFieldEvent | OrderLimitNodeIdFieldEvent | OrderLimitPieceIdFieldEvent | OrderLimitActionFieldEvent | OrderLimitByteLimitFieldEvent | OrderLimitPieceExpirationFieldEvent | OrderLimitOrderExpirationFieldEvent | OrderLimitOrderCreationFieldEvent | OrderLimitUplinkPublicKeyFieldEvent> {
    return streamMessage(buf, OrderLimit.codec(), opts)
  }
}

export interface SignedOrderLimit {
  limit: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedOrderLimit {
  let _codec: Codec<SignedOrderLimit>

  export const codec = (): Codec<SignedOrderLimit> => {
    if (_codec == null) {
      _codec = message<SignedOrderLimit>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.limit != null && obj.limit.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.limit)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          limit: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.limit = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.limit`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedOrderLimitLimitFieldEvent {
    field: '$.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedOrderLimitSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedOrderLimit>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedOrderLimit.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedOrderLimit>): SignedOrderLimit {
    return decodeMessage(buf, SignedOrderLimit.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedOrderLimit>): Generator<SignedOrderLimitLimitFieldEvent | SignedOrderLimitSignatureFieldEvent> {
    return streamMessage(buf, SignedOrderLimit.codec(), opts)
  }
}

export interface PieceReceipt {
  pieceId: Uint8Array<ArrayBuffer>
  size: bigint
  root: Uint8Array<ArrayBuffer>
  leafSize: number
  timestamp: bigint
  nodeId: string
  serialNumber: Uint8Array<ArrayBuffer>
}

export namespace PieceReceipt {
  let _codec: Codec<PieceReceipt>

  export const codec = (): Codec<PieceReceipt> => {
    if (_codec == null) {
      _codec = message<PieceReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.pieceId != null && obj.pieceId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.pieceId)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(16)
          w.uint64(obj.size)
        }

        if ((obj.root != null && obj.root.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.root)
        }

        if ((obj.leafSize != null && obj.leafSize !== 0)) {
          w.uint32(32)
          w.uint32(obj.leafSize)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(40)
          w.uint64(obj.timestamp)
        }

        if ((obj.nodeId != null && obj.nodeId !== '')) {
          w.uint32(50)
          w.string(obj.nodeId)
        }

        if ((obj.serialNumber != null && obj.serialNumber.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.serialNumber)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          pieceId: uint8ArrayAlloc(0),
          size: 0n,
          root: uint8ArrayAlloc(0),
          leafSize: 0,
          timestamp: 0n,
          nodeId: '',
          serialNumber: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.pieceId = reader.bytes()
              break
            }
            case 2: {
              obj.size = reader.uint64()
              break
            }
            case 3: {
              obj.root = reader.bytes()
              break
            }
            case 4: {
              obj.leafSize = reader.uint32()
              break
            }
            case 5: {
              obj.timestamp = reader.uint64()
              break
            }
            case 6: {
              obj.nodeId = reader.string()
              break
            }
            case 7: {
              obj.serialNumber = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.pieceId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.root`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.leafSize`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.nodeId`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.serialNumber`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PieceReceiptPieceIdFieldEvent {
    field: '$.pieceId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceReceiptSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface PieceReceiptRootFieldEvent {
    field: '$.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceReceiptLeafSizeFieldEvent {
    field: '$.leafSize'
    value: number
  }

  export interface PieceReceiptTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export interface PieceReceiptNodeIdFieldEvent {
    field: '$.nodeId'
    value: string
  }

  export interface PieceReceiptSerialNumberFieldEvent {
    field: '$.serialNumber'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<PieceReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PieceReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PieceReceipt>): PieceReceipt {
    return decodeMessage(buf, PieceReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PieceReceipt>): Generator<PieceReceiptPieceIdFieldEvent | PieceReceiptSizeFieldEvent | PieceReceiptRootFieldEvent | PieceReceiptLeafSizeFieldEvent | PieceReceiptTimestampFieldEvent | PieceReceiptNodeIdFieldEvent | PieceReceiptSerialNumberFieldEvent> {
    return streamMessage(buf, PieceReceipt.codec(), opts)
  }
}

export interface PieceHash {
  pieceId: Uint8Array<ArrayBuffer>
  root: Uint8Array<ArrayBuffer>
  size: bigint
  leafSize: number
  timestamp: bigint
}

export namespace PieceHash {
  let _codec: Codec<PieceHash>

  export const codec = (): Codec<PieceHash> => {
    if (_codec == null) {
      _codec = message<PieceHash>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.pieceId != null && obj.pieceId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.pieceId)
        }

        if ((obj.root != null && obj.root.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.root)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(24)
          w.uint64(obj.size)
        }

        if ((obj.leafSize != null && obj.leafSize !== 0)) {
          w.uint32(32)
          w.uint32(obj.leafSize)
        }

        if ((obj.timestamp != null && obj.timestamp !== 0n)) {
          w.uint32(40)
          w.uint64(obj.timestamp)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          pieceId: uint8ArrayAlloc(0),
          root: uint8ArrayAlloc(0),
          size: 0n,
          leafSize: 0,
          timestamp: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.pieceId = reader.bytes()
              break
            }
            case 2: {
              obj.root = reader.bytes()
              break
            }
            case 3: {
              obj.size = reader.uint64()
              break
            }
            case 4: {
              obj.leafSize = reader.uint32()
              break
            }
            case 5: {
              obj.timestamp = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.pieceId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.root`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.leafSize`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.timestamp`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface PieceHashPieceIdFieldEvent {
    field: '$.pieceId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceHashRootFieldEvent {
    field: '$.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceHashSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface PieceHashLeafSizeFieldEvent {
    field: '$.leafSize'
    value: number
  }

  export interface PieceHashTimestampFieldEvent {
    field: '$.timestamp'
    value: bigint
  }

  export function encode (obj: Partial<PieceHash>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PieceHash.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PieceHash>): PieceHash {
    return decodeMessage(buf, PieceHash.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PieceHash>): Generator<PieceHashPieceIdFieldEvent | PieceHashRootFieldEvent | PieceHashSizeFieldEvent | PieceHashLeafSizeFieldEvent | PieceHashTimestampFieldEvent> {
    return streamMessage(buf, PieceHash.codec(), opts)
  }
}

export interface SignedPieceHash {
  hash: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedPieceHash {
  let _codec: Codec<SignedPieceHash>

  export const codec = (): Codec<SignedPieceHash> => {
    if (_codec == null) {
      _codec = message<SignedPieceHash>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.hash != null && obj.hash.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.hash)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          hash: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.hash = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.hash`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedPieceHashHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPieceHashSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedPieceHash>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedPieceHash.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPieceHash>): SignedPieceHash {
    return decodeMessage(buf, SignedPieceHash.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPieceHash>): Generator<SignedPieceHashHashFieldEvent | SignedPieceHashSignatureFieldEvent> {
    return streamMessage(buf, SignedPieceHash.codec(), opts)
  }
}

export interface SignedPieceReceipt {
  receipt: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedPieceReceipt {
  let _codec: Codec<SignedPieceReceipt>

  export const codec = (): Codec<SignedPieceReceipt> => {
    if (_codec == null) {
      _codec = message<SignedPieceReceipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.receipt != null && obj.receipt.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.receipt)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          receipt: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.receipt = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.receipt`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedPieceReceiptReceiptFieldEvent {
    field: '$.receipt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPieceReceiptSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedPieceReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedPieceReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPieceReceipt>): SignedPieceReceipt {
    return decodeMessage(buf, SignedPieceReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPieceReceipt>): Generator<SignedPieceReceiptReceiptFieldEvent | SignedPieceReceiptSignatureFieldEvent> {
    return streamMessage(buf, SignedPieceReceipt.codec(), opts)
  }
}

export interface Error {
  code: string
  message: string
}

export namespace Error {
  let _codec: Codec<Error>

  export const codec = (): Codec<Error> => {
    if (_codec == null) {
      _codec = message<Error>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(10)
          w.string(obj.code)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          code: '',
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.code = reader.string()
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.code`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ErrorCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface ErrorMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<Error>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Error.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Error>): Error {
    return decodeMessage(buf, Error.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Error>): Generator<ErrorCodeFieldEvent | ErrorMessageFieldEvent> {
    return streamMessage(buf, Error.codec(), opts)
  }
}

export interface UploadRequest {
  order?: SignedOrderLimit
  size: bigint
  chunk: Uint8Array<ArrayBuffer>
  done: boolean
  pieceHash?: SignedPieceHash
}

export namespace UploadRequest {
  let _codec: Codec<UploadRequest>

  export const codec = (): Codec<UploadRequest> => {
    if (_codec == null) {
      _codec = message<UploadRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.order != null) {
          w.uint32(10)
          SignedOrderLimit.codec().encode(obj.order, w)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(16)
          w.uint64(obj.size)
        }

        if ((obj.chunk != null && obj.chunk.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.chunk)
        }

        if ((obj.done != null && obj.done !== false)) {
          w.uint32(32)
          w.bool(obj.done)
        }

        if (obj.pieceHash != null) {
          w.uint32(42)
          SignedPieceHash.codec().encode(obj.pieceHash, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          size: 0n,
          chunk: uint8ArrayAlloc(0),
          done: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = SignedOrderLimit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.order
              })
              break
            }
            case 2: {
              obj.size = reader.uint64()
              break
            }
            case 3: {
              obj.chunk = reader.bytes()
              break
            }
            case 4: {
              obj.done = reader.bool()
              break
            }
            case 5: {
              obj.pieceHash = SignedPieceHash.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pieceHash
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedOrderLimit.codec().stream(reader, reader.uint32(), `${prefix}.order`, {
                limits: opts.limits?.order
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.chunk`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.done`,
                value: reader.bool()
              }
              break
            }
            case 5: {
              yield * SignedPieceHash.codec().stream(reader, reader.uint32(), `${prefix}.pieceHash`, {
                limits: opts.limits?.pieceHash
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface UploadRequestOrderLimitFieldEvent {
    field: '$.order.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface UploadRequestOrderSignatureFieldEvent {
    field: '$.order.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface UploadRequestSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface UploadRequestChunkFieldEvent {
    field: '$.chunk'
    value: Uint8Array<ArrayBuffer>
  }

  export interface UploadRequestDoneFieldEvent {
    field: '$.done'
    value: boolean
  }

  export interface UploadRequestPieceHashHashFieldEvent {
    field: '$.pieceHash.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface UploadRequestPieceHashSignatureFieldEvent {
    field: '$.pieceHash.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<UploadRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, UploadRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadRequest>): UploadRequest {
    return decodeMessage(buf, UploadRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadRequest>): Generator<UploadRequestOrderLimitFieldEvent | UploadRequestOrderSignatureFieldEvent | UploadRequestSizeFieldEvent | UploadRequestChunkFieldEvent | UploadRequestDoneFieldEvent | UploadRequestPieceHashHashFieldEvent | UploadRequestPieceHashSignatureFieldEvent> {
    return streamMessage(buf, UploadRequest.codec(), opts)
  }
}

export interface UploadResponse {
  receipt?: SignedPieceReceipt
  error?: Error
}

export namespace UploadResponse {
  let _codec: Codec<UploadResponse>

  export const codec = (): Codec<UploadResponse> => {
    if (_codec == null) {
      _codec = message<UploadResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.receipt != null) {
          w.uint32(10)
          SignedPieceReceipt.codec().encode(obj.receipt, w)
        }

        if (obj.error != null) {
          w.uint32(18)
          Error.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.receipt = SignedPieceReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipt
              })
              break
            }
            case 2: {
              obj.error = Error.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedPieceReceipt.codec().stream(reader, reader.uint32(), `${prefix}.receipt`, {
                limits: opts.limits?.receipt
              })

              break
            }
            case 2: {
              yield * Error.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface UploadResponseReceiptReceiptFieldEvent {
    field: '$.receipt.receipt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface UploadResponseReceiptSignatureFieldEvent {
    field: '$.receipt.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface UploadResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface UploadResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<UploadResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, UploadResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadResponse>): UploadResponse {
    return decodeMessage(buf, UploadResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadResponse>): Generator<UploadResponseReceiptReceiptFieldEvent | UploadResponseReceiptSignatureFieldEvent | UploadResponseErrorCodeFieldEvent | UploadResponseErrorMessageFieldEvent> {
    return streamMessage(buf, UploadResponse.codec(), opts)
  }
}

export interface BandwidthOrder {
  serialNumber: Uint8Array<ArrayBuffer>
  amount: bigint
}

export namespace BandwidthOrder {
  let _codec: Codec<BandwidthOrder>

  export const codec = (): Codec<BandwidthOrder> => {
    if (_codec == null) {
      _codec = message<BandwidthOrder>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.serialNumber != null && obj.serialNumber.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.serialNumber)
        }

        if ((obj.amount != null && obj.amount !== 0n)) {
          w.uint32(16)
          w.uint64(obj.amount)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          serialNumber: uint8ArrayAlloc(0),
          amount: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.serialNumber = reader.bytes()
              break
            }
            case 2: {
              obj.amount = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.serialNumber`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.amount`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface BandwidthOrderSerialNumberFieldEvent {
    field: '$.serialNumber'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BandwidthOrderAmountFieldEvent {
    field: '$.amount'
    value: bigint
  }

  export function encode (obj: Partial<BandwidthOrder>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BandwidthOrder.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BandwidthOrder>): BandwidthOrder {
    return decodeMessage(buf, BandwidthOrder.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BandwidthOrder>): Generator<BandwidthOrderSerialNumberFieldEvent | BandwidthOrderAmountFieldEvent> {
    return streamMessage(buf, BandwidthOrder.codec(), opts)
  }
}

export interface SignedBandwidthOrder {
  order: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedBandwidthOrder {
  let _codec: Codec<SignedBandwidthOrder>

  export const codec = (): Codec<SignedBandwidthOrder> => {
    if (_codec == null) {
      _codec = message<SignedBandwidthOrder>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.order != null && obj.order.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.order)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          order: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.order`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedBandwidthOrderOrderFieldEvent {
    field: '$.order'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedBandwidthOrderSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedBandwidthOrder>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedBandwidthOrder.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedBandwidthOrder>): SignedBandwidthOrder {
    return decodeMessage(buf, SignedBandwidthOrder.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedBandwidthOrder>): Generator<SignedBandwidthOrderOrderFieldEvent | SignedBandwidthOrderSignatureFieldEvent> {
    return streamMessage(buf, SignedBandwidthOrder.codec(), opts)
  }
}

export interface DownloadRequest {
  order?: SignedOrderLimit
  offset: bigint
  length: bigint
  allowance?: SignedBandwidthOrder
}

export namespace DownloadRequest {
  let _codec: Codec<DownloadRequest>

  export const codec = (): Codec<DownloadRequest> => {
    if (_codec == null) {
      _codec = message<DownloadRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.order != null) {
          w.uint32(10)
          SignedOrderLimit.codec().encode(obj.order, w)
        }

        if ((obj.offset != null && obj.offset !== 0n)) {
          w.uint32(16)
          w.uint64(obj.offset)
        }

        if ((obj.length != null && obj.length !== 0n)) {
          w.uint32(24)
          w.uint64(obj.length)
        }

        if (obj.allowance != null) {
          w.uint32(34)
          SignedBandwidthOrder.codec().encode(obj.allowance, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          offset: 0n,
          length: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = SignedOrderLimit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.order
              })
              break
            }
            case 2: {
              obj.offset = reader.uint64()
              break
            }
            case 3: {
              obj.length = reader.uint64()
              break
            }
            case 4: {
              obj.allowance = SignedBandwidthOrder.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.allowance
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedOrderLimit.codec().stream(reader, reader.uint32(), `${prefix}.order`, {
                limits: opts.limits?.order
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.length`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield * SignedBandwidthOrder.codec().stream(reader, reader.uint32(), `${prefix}.allowance`, {
                limits: opts.limits?.allowance
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DownloadRequestOrderLimitFieldEvent {
    field: '$.order.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DownloadRequestOrderSignatureFieldEvent {
    field: '$.order.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DownloadRequestOffsetFieldEvent {
    field: '$.offset'
    value: bigint
  }

  export interface DownloadRequestLengthFieldEvent {
    field: '$.length'
    value: bigint
  }

  export interface DownloadRequestAllowanceOrderFieldEvent {
    field: '$.allowance.order'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DownloadRequestAllowanceSignatureFieldEvent {
    field: '$.allowance.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DownloadRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DownloadRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DownloadRequest>): DownloadRequest {
    return decodeMessage(buf, DownloadRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DownloadRequest>): Generator<DownloadRequestOrderLimitFieldEvent | DownloadRequestOrderSignatureFieldEvent | DownloadRequestOffsetFieldEvent | DownloadRequestLengthFieldEvent | DownloadRequestAllowanceOrderFieldEvent | DownloadRequestAllowanceSignatureFieldEvent> {
    return streamMessage(buf, DownloadRequest.codec(), opts)
  }
}

export interface DownloadAllowance {
  allowance?: SignedBandwidthOrder
}

export namespace DownloadAllowance {
  let _codec: Codec<DownloadAllowance>

  export const codec = (): Codec<DownloadAllowance> => {
    if (_codec == null) {
      _codec = message<DownloadAllowance>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.allowance != null) {
          w.uint32(10)
          SignedBandwidthOrder.codec().encode(obj.allowance, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.allowance = SignedBandwidthOrder.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.allowance
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedBandwidthOrder.codec().stream(reader, reader.uint32(), `${prefix}.allowance`, {
                limits: opts.limits?.allowance
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DownloadAllowanceAllowanceOrderFieldEvent {
    field: '$.allowance.order'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DownloadAllowanceAllowanceSignatureFieldEvent {
    field: '$.allowance.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DownloadAllowance>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DownloadAllowance.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DownloadAllowance>): DownloadAllowance {
    return decodeMessage(buf, DownloadAllowance.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DownloadAllowance>): Generator<DownloadAllowanceAllowanceOrderFieldEvent | DownloadAllowanceAllowanceSignatureFieldEvent> {
    return streamMessage(buf, DownloadAllowance.codec(), opts)
  }
}

export interface DownloadResponse {
  chunk: Uint8Array<ArrayBuffer>
  error?: Error
  size: bigint
}

export namespace DownloadResponse {
  let _codec: Codec<DownloadResponse>

  export const codec = (): Codec<DownloadResponse> => {
    if (_codec == null) {
      _codec = message<DownloadResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.chunk != null && obj.chunk.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.chunk)
        }

        if (obj.error != null) {
          w.uint32(18)
          Error.codec().encode(obj.error, w)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(24)
          w.uint64(obj.size)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          chunk: uint8ArrayAlloc(0),
          size: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.chunk = reader.bytes()
              break
            }
            case 2: {
              obj.error = Error.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            case 3: {
              obj.size = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.chunk`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * Error.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DownloadResponseChunkFieldEvent {
    field: '$.chunk'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DownloadResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface DownloadResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export interface DownloadResponseSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export function encode (obj: Partial<DownloadResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DownloadResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DownloadResponse>): DownloadResponse {
    return decodeMessage(buf, DownloadResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DownloadResponse>): Generator<DownloadResponseChunkFieldEvent | DownloadResponseErrorCodeFieldEvent | DownloadResponseErrorMessageFieldEvent | DownloadResponseSizeFieldEvent> {
    return streamMessage(buf, DownloadResponse.codec(), opts)
  }
}

export interface DeleteRequest {
  order?: SignedOrderLimit
}

export namespace DeleteRequest {
  let _codec: Codec<DeleteRequest>

  export const codec = (): Codec<DeleteRequest> => {
    if (_codec == null) {
      _codec = message<DeleteRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.order != null) {
          w.uint32(10)
          SignedOrderLimit.codec().encode(obj.order, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = SignedOrderLimit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.order
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedOrderLimit.codec().stream(reader, reader.uint32(), `${prefix}.order`, {
                limits: opts.limits?.order
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeleteRequestOrderLimitFieldEvent {
    field: '$.order.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DeleteRequestOrderSignatureFieldEvent {
    field: '$.order.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<DeleteRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeleteRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteRequest>): DeleteRequest {
    return decodeMessage(buf, DeleteRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteRequest>): Generator<DeleteRequestOrderLimitFieldEvent | DeleteRequestOrderSignatureFieldEvent> {
    return streamMessage(buf, DeleteRequest.codec(), opts)
  }
}

export interface DeleteResponse {
  error?: Error
}

export namespace DeleteResponse {
  let _codec: Codec<DeleteResponse>

  export const codec = (): Codec<DeleteResponse> => {
    if (_codec == null) {
      _codec = message<DeleteResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.error != null) {
          w.uint32(10)
          Error.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.error = Error.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * Error.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DeleteResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface DeleteResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<DeleteResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeleteResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteResponse>): DeleteResponse {
    return decodeMessage(buf, DeleteResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteResponse>): Generator<DeleteResponseErrorCodeFieldEvent | DeleteResponseErrorMessageFieldEvent> {
    return streamMessage(buf, DeleteResponse.codec(), opts)
  }
}

export interface AuditRequest {
  order?: SignedOrderLimit
  leafIndices: number[]
}

export namespace AuditRequest {
  let _codec: Codec<AuditRequest>

  export const codec = (): Codec<AuditRequest> => {
    if (_codec == null) {
      _codec = message<AuditRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.order != null) {
          w.uint32(10)
          SignedOrderLimit.codec().encode(obj.order, w)
        }

        if (obj.leafIndices != null && obj.leafIndices.length > 0) {
          for (const value of obj.leafIndices) {
            w.uint32(16)
            w.uint32(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          leafIndices: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = SignedOrderLimit.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.order
              })
              break
            }
            case 2: {
              if (opts.limits?.leafIndices != null && obj.leafIndices.length === opts.limits.leafIndices) {
                throw new MaxLengthError('Decode error - repeated field "leafIndices" had too many elements')
              }

              obj.leafIndices.push(reader.uint32())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          leafIndices: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedOrderLimit.codec().stream(reader, reader.uint32(), `${prefix}.order`, {
                limits: opts.limits?.order
              })

              break
            }
            case 2: {
              if (opts.limits?.leafIndices != null && obj.leafIndices === opts.limits.leafIndices) {
                throw new MaxLengthError('Streaming decode error - repeated field "leafIndices" had too many elements')
              }

              yield {
                field: `${prefix}.leafIndices[]`,
                index: obj.leafIndices,
                value: reader.uint32()
              }

              obj.leafIndices++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AuditRequestOrderLimitFieldEvent {
    field: '$.order.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditRequestOrderSignatureFieldEvent {
    field: '$.order.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditRequestLeafIndicesFieldEvent {
    field: '$.leafIndices[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<AuditRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AuditRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditRequest>): AuditRequest {
    return decodeMessage(buf, AuditRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditRequest>): Generator<AuditRequestOrderLimitFieldEvent | AuditRequestOrderSignatureFieldEvent | AuditRequestLeafIndicesFieldEvent> {
    return streamMessage(buf, AuditRequest.codec(), opts)
  }
}

export interface AuditResponse {
  leaves: Uint8Array<ArrayBuffer>[]
  proof: Uint8Array<ArrayBuffer>[]
  leafCount: bigint
  size: bigint
  error?: Error
}

export namespace AuditResponse {
  let _codec: Codec<AuditResponse>

  export const codec = (): Codec<AuditResponse> => {
    if (_codec == null) {
      _codec = message<AuditResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.leaves != null && obj.leaves.length > 0) {
          for (const value of obj.leaves) {
            w.uint32(10)
            w.bytes(value)
          }
        }

        if (obj.proof != null && obj.proof.length > 0) {
          for (const value of obj.proof) {
            w.uint32(18)
            w.bytes(value)
          }
        }

        if ((obj.leafCount != null && obj.leafCount !== 0n)) {
          w.uint32(24)
          w.uint64(obj.leafCount)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(32)
          w.uint64(obj.size)
        }

        if (obj.error != null) {
          w.uint32(42)
          Error.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          leaves: [],
          proof: [],
          leafCount: 0n,
          size: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.leaves != null && obj.leaves.length === opts.limits.leaves) {
                throw new MaxLengthError('Decode error - repeated field "leaves" had too many elements')
              }

              obj.leaves.push(reader.bytes())
              break
            }
            case 2: {
              if (opts.limits?.proof != null && obj.proof.length === opts.limits.proof) {
                throw new MaxLengthError('Decode error - repeated field "proof" had too many elements')
              }

              obj.proof.push(reader.bytes())
              break
            }
            case 3: {
              obj.leafCount = reader.uint64()
              break
            }
            case 4: {
              obj.size = reader.uint64()
              break
            }
            case 5: {
              obj.error = Error.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          leaves: 0,
          proof: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.leaves != null && obj.leaves === opts.limits.leaves) {
                throw new MaxLengthError('Streaming decode error - repeated field "leaves" had too many elements')
              }

              yield {
                field: `${prefix}.leaves[]`,
                index: obj.leaves,
                value: reader.bytes()
              }

              obj.leaves++

              break
            }
            case 2: {
              if (opts.limits?.proof != null && obj.proof === opts.limits.proof) {
                throw new MaxLengthError('Streaming decode error - repeated field "proof" had too many elements')
              }

              yield {
                field: `${prefix}.proof[]`,
                index: obj.proof,
                value: reader.bytes()
              }

              obj.proof++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.leafCount`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield * Error.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AuditResponseLeavesFieldEvent {
    field: '$.leaves[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditResponseProofFieldEvent {
    field: '$.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditResponseLeafCountFieldEvent {
    field: '$.leafCount'
    value: bigint
  }

  export interface AuditResponseSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface AuditResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface AuditResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<AuditResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AuditResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditResponse>): AuditResponse {
    return decodeMessage(buf, AuditResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditResponse>): Generator<AuditResponseLeavesFieldEvent | AuditResponseProofFieldEvent | AuditResponseLeafCountFieldEvent | AuditResponseSizeFieldEvent | AuditResponseErrorCodeFieldEvent | AuditResponseErrorMessageFieldEvent> {
    return streamMessage(buf, AuditResponse.codec(), opts)
  }
}

export interface Retain {
  satelliteId: string
  nodeId: string
  createdBefore: bigint
  filter: Uint8Array<ArrayBuffer>
  hashCount: number
  seed: Uint8Array<ArrayBuffer>
  created: bigint
}

export namespace Retain {
  let _codec: Codec<Retain>

  export const codec = (): Codec<Retain> => {
    if (_codec == null) {
      _codec = message<Retain>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.satelliteId != null && obj.satelliteId !== '')) {
          w.uint32(10)
          w.string(obj.satelliteId)
        }

        if ((obj.nodeId != null && obj.nodeId !== '')) {
          w.uint32(18)
          w.string(obj.nodeId)
        }

        if ((obj.createdBefore != null && obj.createdBefore !== 0n)) {
          w.uint32(24)
          w.uint64(obj.createdBefore)
        }

        if ((obj.filter != null && obj.filter.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.filter)
        }

        if ((obj.hashCount != null && obj.hashCount !== 0)) {
          w.uint32(40)
          w.uint32(obj.hashCount)
        }

        if ((obj.seed != null && obj.seed.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.seed)
        }

        if ((obj.created != null && obj.created !== 0n)) {
          w.uint32(56)
          w.uint64(obj.created)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          satelliteId: '',
          nodeId: '',
          createdBefore: 0n,
          filter: uint8ArrayAlloc(0),
          hashCount: 0,
          seed: uint8ArrayAlloc(0),
          created: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.satelliteId = reader.string()
              break
            }
            case 2: {
              obj.nodeId = reader.string()
              break
            }
            case 3: {
              obj.createdBefore = reader.uint64()
              break
            }
            case 4: {
              obj.filter = reader.bytes()
              break
            }
            case 5: {
              obj.hashCount = reader.uint32()
              break
            }
            case 6: {
              obj.seed = reader.bytes()
              break
            }
            case 7: {
              obj.created = reader.uint64()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.satelliteId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.nodeId`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.createdBefore`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.filter`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.hashCount`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.seed`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.created`,
                value: reader.uint64()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RetainSatelliteIdFieldEvent {
    field: '$.satelliteId'
    value: string
  }

  export interface RetainNodeIdFieldEvent {
    field: '$.nodeId'
    value: string
  }

  export interface RetainCreatedBeforeFieldEvent {
    field: '$.createdBefore'
    value: bigint
  }

  export interface RetainFilterFieldEvent {
    field: '$.filter'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RetainHashCountFieldEvent {
    field: '$.hashCount'
    value: number
  }

  export interface RetainSeedFieldEvent {
    field: '$.seed'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RetainCreatedFieldEvent {
    field: '$.created'
    value: bigint
  }

  export function encode (obj: Partial<Retain>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Retain.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Retain>): Retain {
    return decodeMessage(buf, Retain.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Retain>): Generator<RetainSatelliteIdFieldEvent | RetainNodeIdFieldEvent | RetainCreatedBeforeFieldEvent | RetainFilterFieldEvent | RetainHashCountFieldEvent | RetainSeedFieldEvent | RetainCreatedFieldEvent> {
    return streamMessage(buf, Retain.codec(), opts)
  }
}

export interface RetainRequest {
  request: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace RetainRequest {
  let _codec: Codec<RetainRequest>

  export const codec = (): Codec<RetainRequest> => {
    if (_codec == null) {
      _codec = message<RetainRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.request != null && obj.request.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.request)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          request: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.request = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.request`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RetainRequestRequestFieldEvent {
    field: '$.request'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RetainRequestSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RetainRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RetainRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RetainRequest>): RetainRequest {
    return decodeMessage(buf, RetainRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RetainRequest>): Generator<RetainRequestRequestFieldEvent | RetainRequestSignatureFieldEvent> {
    return streamMessage(buf, RetainRequest.codec(), opts)
  }
}

export interface RetainResponse {
  trashed: bigint
  kept: bigint
  error?: Error
}

export namespace RetainResponse {
  let _codec: Codec<RetainResponse>

  export const codec = (): Codec<RetainResponse> => {
    if (_codec == null) {
      _codec = message<RetainResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.trashed != null && obj.trashed !== 0n)) {
          w.uint32(8)
          w.uint64(obj.trashed)
        }

        if ((obj.kept != null && obj.kept !== 0n)) {
          w.uint32(16)
          w.uint64(obj.kept)
        }

        if (obj.error != null) {
          w.uint32(26)
          Error.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          trashed: 0n,
          kept: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.trashed = reader.uint64()
              break
            }
            case 2: {
              obj.kept = reader.uint64()
              break
            }
            case 3: {
              obj.error = Error.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.trashed`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.kept`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield * Error.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface RetainResponseTrashedFieldEvent {
    field: '$.trashed'
    value: bigint
  }

  export interface RetainResponseKeptFieldEvent {
    field: '$.kept'
    value: bigint
  }

  export interface RetainResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface RetainResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<RetainResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RetainResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RetainResponse>): RetainResponse {
    return decodeMessage(buf, RetainResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RetainResponse>): Generator<RetainResponseTrashedFieldEvent | RetainResponseKeptFieldEvent | RetainResponseErrorCodeFieldEvent | RetainResponseErrorMessageFieldEvent> {
    return streamMessage(buf, RetainResponse.codec(), opts)
  }
}
