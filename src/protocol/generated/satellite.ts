/* eslint-disable require-yield */

import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ContactError {
  code: string
  message: string
}

export namespace ContactError {
  let _codec: Codec<ContactError>

  export const codec = (): Codec<ContactError> => {
    if (_codec == null) {
      _codec = message<ContactError>((obj, w, opts = {}) => {
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

  export interface ContactErrorCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface ContactErrorMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<ContactError>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ContactError.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactError>): ContactError {
    return decodeMessage(buf, ContactError.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ContactError>): Generator<ContactErrorCodeFieldEvent | ContactErrorMessageFieldEvent> {
    return streamMessage(buf, ContactError.codec(), opts)
  }
}

export interface CheckInRequest {
  addresses: string[]
  capacity: bigint
  freeSpace: bigint
  version: string
  wallet: string
  email: string
}

export namespace CheckInRequest {
  let _codec: Codec<CheckInRequest>

  export const codec = (): Codec<CheckInRequest> => {
    if (_codec == null) {
      _codec = message<CheckInRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.addresses != null && obj.addresses.length > 0) {
          for (const value of obj.addresses) {
            w.uint32(10)
            w.string(value)
          }
        }

        if ((obj.capacity != null && obj.capacity !== 0n)) {
          w.uint32(16)
          w.uint64(obj.capacity)
        }

        if ((obj.freeSpace != null && obj.freeSpace !== 0n)) {
          w.uint32(24)
          w.uint64(obj.freeSpace)
        }

        if ((obj.version != null && obj.version !== '')) {
          w.uint32(34)
          w.string(obj.version)
        }

        if ((obj.wallet != null && obj.wallet !== '')) {
          w.uint32(42)
          w.string(obj.wallet)
        }

        if ((obj.email != null && obj.email !== '')) {
          w.uint32(50)
          w.string(obj.email)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          addresses: [],
          capacity: 0n,
          freeSpace: 0n,
          version: '',
          wallet: '',
          email: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.addresses != null && obj.addresses.length === opts.limits.addresses) {
                throw new MaxLengthError('Decode error - repeated field "addresses" had too many elements')
              }

              obj.addresses.push(reader.string())
              break
            }
            case 2: {
              obj.capacity = reader.uint64()
              break
            }
            case 3: {
              obj.freeSpace = reader.uint64()
              break
            }
            case 4: {
              obj.version = reader.string()
              break
            }
            case 5: {
              obj.wallet = reader.string()
              break
            }
            case 6: {
              obj.email = reader.string()
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
          addresses: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.addresses != null && obj.addresses === opts.limits.addresses) {
                throw new MaxLengthError('Streaming decode error - repeated field "addresses" had too many elements')
              }

              yield {
                field: `${prefix}.addresses[]`,
                index: obj.addresses,
                value: reader.string()
              }

              obj.addresses++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.capacity`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.freeSpace`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.version`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.wallet`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.email`,
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

  export interface CheckInRequestAddressesFieldEvent {
    field: '$.addresses[]'
    index: number
    value: string
  }

  export interface CheckInRequestCapacityFieldEvent {
    field: '$.capacity'
    value: bigint
  }

  export interface CheckInRequestFreeSpaceFieldEvent {
    field: '$.freeSpace'
    value: bigint
  }

  export interface CheckInRequestVersionFieldEvent {
    field: '$.version'
    value: string
  }

  export interface CheckInRequestWalletFieldEvent {
    field: '$.wallet'
    value: string
  }

  export interface CheckInRequestEmailFieldEvent {
    field: '$.email'
    value: string
  }

  export function encode (obj: Partial<CheckInRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CheckInRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CheckInRequest>): CheckInRequest {
    return decodeMessage(buf, CheckInRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CheckInRequest>): Generator<CheckInRequestAddressesFieldEvent | CheckInRequestCapacityFieldEvent | CheckInRequestFreeSpaceFieldEvent | CheckInRequestVersionFieldEvent | CheckInRequestWalletFieldEvent | CheckInRequestEmailFieldEvent> {
    return streamMessage(buf, CheckInRequest.codec(), opts)
  }
}

export interface CheckInResponse {
  reachable: boolean
  message: string
  nextCheckIn: bigint
  error?: ContactError
}

export namespace CheckInResponse {
  let _codec: Codec<CheckInResponse>

  export const codec = (): Codec<CheckInResponse> => {
    if (_codec == null) {
      _codec = message<CheckInResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.reachable != null && obj.reachable !== false)) {
          w.uint32(8)
          w.bool(obj.reachable)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if ((obj.nextCheckIn != null && obj.nextCheckIn !== 0n)) {
          w.uint32(24)
          w.uint64(obj.nextCheckIn)
        }

        if (obj.error != null) {
          w.uint32(34)
          ContactError.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          reachable: false,
          message: '',
          nextCheckIn: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.reachable = reader.bool()
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            case 3: {
              obj.nextCheckIn = reader.uint64()
              break
            }
            case 4: {
              obj.error = ContactError.codec().decode(reader, reader.uint32(), {
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
                field: `${prefix}.reachable`,
                value: reader.bool()
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
            case 3: {
              yield {
                field: `${prefix}.nextCheckIn`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield * ContactError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
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

  export interface CheckInResponseReachableFieldEvent {
    field: '$.reachable'
    value: boolean
  }

  export interface CheckInResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface CheckInResponseNextCheckInFieldEvent {
    field: '$.nextCheckIn'
    value: bigint
  }

  export interface CheckInResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface CheckInResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<CheckInResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CheckInResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CheckInResponse>): CheckInResponse {
    return decodeMessage(buf, CheckInResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CheckInResponse>): Generator<CheckInResponseReachableFieldEvent | CheckInResponseMessageFieldEvent | CheckInResponseNextCheckInFieldEvent | CheckInResponseErrorCodeFieldEvent | CheckInResponseErrorMessageFieldEvent> {
    return streamMessage(buf, CheckInResponse.codec(), opts)
  }
}

export interface SignedOrder {
  limit: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedOrder {
  let _codec: Codec<SignedOrder>

  export const codec = (): Codec<SignedOrder> => {
    if (_codec == null) {
      _codec = message<SignedOrder>((obj, w, opts = {}) => {
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

  export interface SignedOrderLimitFieldEvent {
    field: '$.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedOrderSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedOrder>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedOrder.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedOrder>): SignedOrder {
    return decodeMessage(buf, SignedOrder.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedOrder>): Generator<SignedOrderLimitFieldEvent | SignedOrderSignatureFieldEvent> {
    return streamMessage(buf, SignedOrder.codec(), opts)
  }
}

export interface SignedReceipt {
  receipt: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedReceipt {
  let _codec: Codec<SignedReceipt>

  export const codec = (): Codec<SignedReceipt> => {
    if (_codec == null) {
      _codec = message<SignedReceipt>((obj, w, opts = {}) => {
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

  export interface SignedReceiptReceiptFieldEvent {
    field: '$.receipt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedReceiptSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedReceipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedReceipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedReceipt>): SignedReceipt {
    return decodeMessage(buf, SignedReceipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedReceipt>): Generator<SignedReceiptReceiptFieldEvent | SignedReceiptSignatureFieldEvent> {
    return streamMessage(buf, SignedReceipt.codec(), opts)
  }
}

export interface SignedHash {
  hash: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedHash {
  let _codec: Codec<SignedHash>

  export const codec = (): Codec<SignedHash> => {
    if (_codec == null) {
      _codec = message<SignedHash>((obj, w, opts = {}) => {
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

  export interface SignedHashHashFieldEvent {
    field: '$.hash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedHashSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedHash>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedHash.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedHash>): SignedHash {
    return decodeMessage(buf, SignedHash.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedHash>): Generator<SignedHashHashFieldEvent | SignedHashSignatureFieldEvent> {
    return streamMessage(buf, SignedHash.codec(), opts)
  }
}

export interface AddressedOrder {
  order?: SignedOrder
  nodeId: string
  addresses: string[]
  pieceNumber: number
}

export namespace AddressedOrder {
  let _codec: Codec<AddressedOrder>

  export const codec = (): Codec<AddressedOrder> => {
    if (_codec == null) {
      _codec = message<AddressedOrder>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.order != null) {
          w.uint32(10)
          SignedOrder.codec().encode(obj.order, w)
        }

        if ((obj.nodeId != null && obj.nodeId !== '')) {
          w.uint32(18)
          w.string(obj.nodeId)
        }

        if (obj.addresses != null && obj.addresses.length > 0) {
          for (const value of obj.addresses) {
            w.uint32(26)
            w.string(value)
          }
        }

        if ((obj.pieceNumber != null && obj.pieceNumber !== 0)) {
          w.uint32(32)
          w.uint32(obj.pieceNumber)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          nodeId: '',
          addresses: [],
          pieceNumber: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = SignedOrder.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.order
              })
              break
            }
            case 2: {
              obj.nodeId = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.addresses != null && obj.addresses.length === opts.limits.addresses) {
                throw new MaxLengthError('Decode error - repeated field "addresses" had too many elements')
              }

              obj.addresses.push(reader.string())
              break
            }
            case 4: {
              obj.pieceNumber = reader.uint32()
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
          addresses: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedOrder.codec().stream(reader, reader.uint32(), `${prefix}.order`, {
                limits: opts.limits?.order
              })

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
              if (opts.limits?.addresses != null && obj.addresses === opts.limits.addresses) {
                throw new MaxLengthError('Streaming decode error - repeated field "addresses" had too many elements')
              }

              yield {
                field: `${prefix}.addresses[]`,
                index: obj.addresses,
                value: reader.string()
              }

              obj.addresses++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.pieceNumber`,
                value: reader.uint32()
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

  export interface AddressedOrderOrderLimitFieldEvent {
    field: '$.order.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AddressedOrderOrderSignatureFieldEvent {
    field: '$.order.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AddressedOrderNodeIdFieldEvent {
    field: '$.nodeId'
    value: string
  }

  export interface AddressedOrderAddressesFieldEvent {
    field: '$.addresses[]'
    index: number
    value: string
  }

  export interface AddressedOrderPieceNumberFieldEvent {
    field: '$.pieceNumber'
    value: number
  }

  export function encode (obj: Partial<AddressedOrder>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AddressedOrder.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddressedOrder>): AddressedOrder {
    return decodeMessage(buf, AddressedOrder.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AddressedOrder>): Generator<AddressedOrderOrderLimitFieldEvent | AddressedOrderOrderSignatureFieldEvent | AddressedOrderNodeIdFieldEvent | AddressedOrderAddressesFieldEvent | AddressedOrderPieceNumberFieldEvent> {
    return streamMessage(buf, AddressedOrder.codec(), opts)
  }
}

export interface RedundancyScheme {
  minimum: number
  repair: number
  success: number
  total: number
}

export namespace RedundancyScheme {
  let _codec: Codec<RedundancyScheme>

  export const codec = (): Codec<RedundancyScheme> => {
    if (_codec == null) {
      _codec = message<RedundancyScheme>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.minimum != null && obj.minimum !== 0)) {
          w.uint32(8)
          w.uint32(obj.minimum)
        }

        if ((obj.repair != null && obj.repair !== 0)) {
          w.uint32(16)
          w.uint32(obj.repair)
        }

        if ((obj.success != null && obj.success !== 0)) {
          w.uint32(24)
          w.uint32(obj.success)
        }

        if ((obj.total != null && obj.total !== 0)) {
          w.uint32(32)
          w.uint32(obj.total)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          minimum: 0,
          repair: 0,
          success: 0,
          total: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.minimum = reader.uint32()
              break
            }
            case 2: {
              obj.repair = reader.uint32()
              break
            }
            case 3: {
              obj.success = reader.uint32()
              break
            }
            case 4: {
              obj.total = reader.uint32()
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
                field: `${prefix}.minimum`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.repair`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.success`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.total`,
                value: reader.uint32()
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

  export interface RedundancySchemeMinimumFieldEvent {
    field: '$.minimum'
    value: number
  }

  export interface RedundancySchemeRepairFieldEvent {
    field: '$.repair'
    value: number
  }

  export interface RedundancySchemeSuccessFieldEvent {
    field: '$.success'
    value: number
  }

  export interface RedundancySchemeTotalFieldEvent {
    field: '$.total'
    value: number
  }

  export function encode (obj: Partial<RedundancyScheme>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RedundancyScheme.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RedundancyScheme>): RedundancyScheme {
    return decodeMessage(buf, RedundancyScheme.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RedundancyScheme>): Generator<RedundancySchemeMinimumFieldEvent | RedundancySchemeRepairFieldEvent | RedundancySchemeSuccessFieldEvent | RedundancySchemeTotalFieldEvent> {
    return streamMessage(buf, RedundancyScheme.codec(), opts)
  }
}

export interface BucketInfo {
  name: string
  created: bigint
}

export namespace BucketInfo {
  let _codec: Codec<BucketInfo>

  export const codec = (): Codec<BucketInfo> => {
    if (_codec == null) {
      _codec = message<BucketInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if ((obj.created != null && obj.created !== 0n)) {
          w.uint32(16)
          w.uint64(obj.created)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: '',
          created: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
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
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
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

  export interface BucketInfoNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface BucketInfoCreatedFieldEvent {
    field: '$.created'
    value: bigint
  }

  export function encode (obj: Partial<BucketInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BucketInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BucketInfo>): BucketInfo {
    return decodeMessage(buf, BucketInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BucketInfo>): Generator<BucketInfoNameFieldEvent | BucketInfoCreatedFieldEvent> {
    return streamMessage(buf, BucketInfo.codec(), opts)
  }
}

export interface ObjectInfo {
  bucket: string
  key: string
  size: bigint
  created: bigint
  committed: bigint
  segmentCount: number
  metadata: Uint8Array<ArrayBuffer>
  encryption: string
  expires: bigint
  encryptedKey?: Uint8Array<ArrayBuffer>
  partCount?: number
}

export namespace ObjectInfo {
  let _codec: Codec<ObjectInfo>

  export const codec = (): Codec<ObjectInfo> => {
    if (_codec == null) {
      _codec = message<ObjectInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(18)
          w.string(obj.key)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(24)
          w.uint64(obj.size)
        }

        if ((obj.created != null && obj.created !== 0n)) {
          w.uint32(32)
          w.uint64(obj.created)
        }

        if ((obj.committed != null && obj.committed !== 0n)) {
          w.uint32(40)
          w.uint64(obj.committed)
        }

        if ((obj.segmentCount != null && obj.segmentCount !== 0)) {
          w.uint32(48)
          w.uint32(obj.segmentCount)
        }

        if ((obj.metadata != null && obj.metadata.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.metadata)
        }

        if ((obj.encryption != null && obj.encryption !== '')) {
          w.uint32(66)
          w.string(obj.encryption)
        }

        if ((obj.expires != null && obj.expires !== 0n)) {
          w.uint32(72)
          w.uint64(obj.expires)
        }

        if (obj.encryptedKey != null) {
          w.uint32(82)
          w.bytes(obj.encryptedKey)
        }

        if (obj.partCount != null) {
          w.uint32(88)
          w.uint32(obj.partCount)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          key: '',
          size: 0n,
          created: 0n,
          committed: 0n,
          segmentCount: 0,
          metadata: uint8ArrayAlloc(0),
          encryption: '',
          expires: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.key = reader.string()
              break
            }
            case 3: {
              obj.size = reader.uint64()
              break
            }
            case 4: {
              obj.created = reader.uint64()
              break
            }
            case 5: {
              obj.committed = reader.uint64()
              break
            }
            case 6: {
              obj.segmentCount = reader.uint32()
              break
            }
            case 7: {
              obj.metadata = reader.bytes()
              break
            }
            case 8: {
              obj.encryption = reader.string()
              break
            }
            case 9: {
              obj.expires = reader.uint64()
              break
            }
            case 10: {
              obj.encryptedKey = reader.bytes()
              break
            }
            case 11: {
              obj.partCount = reader.uint32()
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
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
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
                field: `${prefix}.created`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.committed`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.segmentCount`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.metadata`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.encryption`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.expires`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.encryptedKey`,
                value: reader.bytes()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.partCount`,
                value: reader.uint32()
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

  export interface ObjectInfoBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface ObjectInfoKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface ObjectInfoSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface ObjectInfoCreatedFieldEvent {
    field: '$.created'
    value: bigint
  }

  export interface ObjectInfoCommittedFieldEvent {
    field: '$.committed'
    value: bigint
  }

  export interface ObjectInfoSegmentCountFieldEvent {
    field: '$.segmentCount'
    value: number
  }

  export interface ObjectInfoMetadataFieldEvent {
    field: '$.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ObjectInfoEncryptionFieldEvent {
    field: '$.encryption'
    value: string
  }

  export interface ObjectInfoExpiresFieldEvent {
    field: '$.expires'
    value: bigint
  }

  export interface ObjectInfoEncryptedKeyFieldEvent {
    field: '$.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ObjectInfoPartCountFieldEvent {
    field: '$.partCount'
    value: number
  }

  export function encode (obj: Partial<ObjectInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ObjectInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ObjectInfo>): ObjectInfo {
    return decodeMessage(buf, ObjectInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ObjectInfo>): Generator<ObjectInfoBucketFieldEvent | ObjectInfoKeyFieldEvent | ObjectInfoSizeFieldEvent | ObjectInfoCreatedFieldEvent | ObjectInfoCommittedFieldEvent | ObjectInfoSegmentCountFieldEvent | ObjectInfoMetadataFieldEvent | ObjectInfoEncryptionFieldEvent | ObjectInfoExpiresFieldEvent | ObjectInfoEncryptedKeyFieldEvent | ObjectInfoPartCountFieldEvent> {
    return streamMessage(buf, ObjectInfo.codec(), opts)
  }
}

export interface PieceDownload {
  order?: AddressedOrder
  root: Uint8Array<ArrayBuffer>
  size: bigint
}

export namespace PieceDownload {
  let _codec: Codec<PieceDownload>

  export const codec = (): Codec<PieceDownload> => {
    if (_codec == null) {
      _codec = message<PieceDownload>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.order != null) {
          w.uint32(10)
          AddressedOrder.codec().encode(obj.order, w)
        }

        if ((obj.root != null && obj.root.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.root)
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
          root: uint8ArrayAlloc(0),
          size: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.order = AddressedOrder.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.order
              })
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
              yield * AddressedOrder.codec().stream(reader, reader.uint32(), `${prefix}.order`, {
                limits: opts.limits?.order
              })

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

  export interface PieceDownloadOrderOrderLimitFieldEvent {
    field: '$.order.order.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceDownloadOrderOrderSignatureFieldEvent {
    field: '$.order.order.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceDownloadOrderNodeIdFieldEvent {
    field: '$.order.nodeId'
    value: string
  }

  export interface PieceDownloadOrderAddressesFieldEvent {
    field: '$.order.addresses[]'
    index: number
    value: string
  }

  export interface PieceDownloadOrderPieceNumberFieldEvent {
    field: '$.order.pieceNumber'
    value: number
  }

  export interface PieceDownloadRootFieldEvent {
    field: '$.root'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PieceDownloadSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export function encode (obj: Partial<PieceDownload>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PieceDownload.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PieceDownload>): PieceDownload {
    return decodeMessage(buf, PieceDownload.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PieceDownload>): Generator<PieceDownloadOrderOrderLimitFieldEvent | PieceDownloadOrderOrderSignatureFieldEvent | PieceDownloadOrderNodeIdFieldEvent | PieceDownloadOrderAddressesFieldEvent | PieceDownloadOrderPieceNumberFieldEvent | PieceDownloadRootFieldEvent | PieceDownloadSizeFieldEvent> {
    return streamMessage(buf, PieceDownload.codec(), opts)
  }
}

export interface SegmentInfo {
  index: number
  plainSize: bigint
  pieceSize: bigint
  inline: Uint8Array<ArrayBuffer>
  scheme?: RedundancyScheme
  pieces: PieceDownload[]
  plainOffset?: bigint
  orderPrivateKey?: Uint8Array<ArrayBuffer>
  part?: SegmentPart
}

export namespace SegmentInfo {
  let _codec: Codec<SegmentInfo>

  export const codec = (): Codec<SegmentInfo> => {
    if (_codec == null) {
      _codec = message<SegmentInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(8)
          w.uint32(obj.index)
        }

        if ((obj.plainSize != null && obj.plainSize !== 0n)) {
          w.uint32(16)
          w.uint64(obj.plainSize)
        }

        if ((obj.pieceSize != null && obj.pieceSize !== 0n)) {
          w.uint32(24)
          w.uint64(obj.pieceSize)
        }

        if ((obj.inline != null && obj.inline.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.inline)
        }

        if (obj.scheme != null) {
          w.uint32(42)
          RedundancyScheme.codec().encode(obj.scheme, w)
        }

        if (obj.pieces != null && obj.pieces.length > 0) {
          for (const value of obj.pieces) {
            w.uint32(50)
            PieceDownload.codec().encode(value, w)
          }
        }

        if (obj.plainOffset != null) {
          w.uint32(56)
          w.uint64(obj.plainOffset)
        }

        if (obj.orderPrivateKey != null) {
          w.uint32(66)
          w.bytes(obj.orderPrivateKey)
        }

        if (obj.part != null) {
          w.uint32(74)
          SegmentPart.codec().encode(obj.part, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          index: 0,
          plainSize: 0n,
          pieceSize: 0n,
          inline: uint8ArrayAlloc(0),
          pieces: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.index = reader.uint32()
              break
            }
            case 2: {
              obj.plainSize = reader.uint64()
              break
            }
            case 3: {
              obj.pieceSize = reader.uint64()
              break
            }
            case 4: {
              obj.inline = reader.bytes()
              break
            }
            case 5: {
              obj.scheme = RedundancyScheme.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.scheme
              })
              break
            }
            case 6: {
              if (opts.limits?.pieces != null && obj.pieces.length === opts.limits.pieces) {
                throw new MaxLengthError('Decode error - repeated field "pieces" had too many elements')
              }

              obj.pieces.push(PieceDownload.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pieces$
              }))
              break
            }
            case 7: {
              obj.plainOffset = reader.uint64()
              break
            }
            case 8: {
              obj.orderPrivateKey = reader.bytes()
              break
            }
            case 9: {
              obj.part = SegmentPart.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.part
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
          pieces: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.plainSize`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.pieceSize`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.inline`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield * RedundancyScheme.codec().stream(reader, reader.uint32(), `${prefix}.scheme`, {
                limits: opts.limits?.scheme
              })

              break
            }
            case 6: {
              if (opts.limits?.pieces != null && obj.pieces === opts.limits.pieces) {
                throw new MaxLengthError('Streaming decode error - repeated field "pieces" had too many elements')
              }

              for (const evt of PieceDownload.codec().stream(reader, reader.uint32(), `${prefix}.pieces[]`, {
                limits: opts.limits?.pieces$
              })) {
                yield {
                  ...evt,
                  index: obj.pieces
                }
              }

              obj.pieces++

              break
            }
            case 7: {
              yield {
                field: `${prefix}.plainOffset`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.orderPrivateKey`,
                value: reader.bytes()
              }
              break
            }
            case 9: {
              yield * SegmentPart.codec().stream(reader, reader.uint32(), `${prefix}.part`, {
                limits: opts.limits?.part
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

  export interface SegmentInfoIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface SegmentInfoPlainSizeFieldEvent {
    field: '$.plainSize'
    value: bigint
  }

  export interface SegmentInfoPieceSizeFieldEvent {
    field: '$.pieceSize'
    value: bigint
  }

  export interface SegmentInfoInlineFieldEvent {
    field: '$.inline'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SegmentInfoSchemeMinimumFieldEvent {
    field: '$.scheme.minimum'
    value: number
  }

  export interface SegmentInfoSchemeRepairFieldEvent {
    field: '$.scheme.repair'
    value: number
  }

  export interface SegmentInfoSchemeSuccessFieldEvent {
    field: '$.scheme.success'
    value: number
  }

  export interface SegmentInfoSchemeTotalFieldEvent {
    field: '$.scheme.total'
    value: number
  }

  export interface SegmentInfoPiecesOrderOrderLimitFieldEvent {
    field: '$.pieces[].order.order.limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SegmentInfoPiecesOrderOrderSignatureFieldEvent {
    field: '$.pieces[].order.order.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SegmentInfoPiecesOrderNodeIdFieldEvent {
    field: '$.pieces[].order.nodeId'
    value: string
    index: number
  }

  export interface SegmentInfoPiecesOrderAddressesFieldEvent {
    field: '$.pieces[].order.addresses[]'
    index: number
    value: string
  }

  export interface SegmentInfoPiecesOrderPieceNumberFieldEvent {
    field: '$.pieces[].order.pieceNumber'
    value: number
    index: number
  }

  export interface SegmentInfoPiecesRootFieldEvent {
    field: '$.pieces[].root'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SegmentInfoPiecesSizeFieldEvent {
    field: '$.pieces[].size'
    value: bigint
    index: number
  }

  export interface SegmentInfoPlainOffsetFieldEvent {
    field: '$.plainOffset'
    value: bigint
  }

  export interface SegmentInfoOrderPrivateKeyFieldEvent {
    field: '$.orderPrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SegmentInfoPartNumberFieldEvent {
    field: '$.part.number'
    value: number
  }

  export interface SegmentInfoPartIndexFieldEvent {
    field: '$.part.index'
    value: number
  }

  export interface SegmentInfoPartOffsetFieldEvent {
    field: '$.part.offset'
    value: bigint
  }

  export interface SegmentInfoPartSizeFieldEvent {
    field: '$.part.size'
    value: bigint
  }

  export interface SegmentInfoPartSaltFieldEvent {
    field: '$.part.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SegmentInfoPartPartOffsetFieldEvent {
    field: '$.part.partOffset'
    value: bigint
  }

  export interface SegmentInfoPartLeafFieldEvent {
    field: '$.part.leaf'
    value: number
  }

  export interface SegmentInfoPartProofFieldEvent {
    field: '$.part.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SegmentInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SegmentInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SegmentInfo>): SegmentInfo {
    return decodeMessage(buf, SegmentInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SegmentInfo>): Generator<SegmentInfoIndexFieldEvent | SegmentInfoPlainSizeFieldEvent | SegmentInfoPieceSizeFieldEvent | SegmentInfoInlineFieldEvent | SegmentInfoSchemeMinimumFieldEvent | SegmentInfoSchemeRepairFieldEvent | SegmentInfoSchemeSuccessFieldEvent | SegmentInfoSchemeTotalFieldEvent | SegmentInfoPiecesOrderOrderLimitFieldEvent | SegmentInfoPiecesOrderOrderSignatureFieldEvent | SegmentInfoPiecesOrderNodeIdFieldEvent | SegmentInfoPiecesOrderAddressesFieldEvent | SegmentInfoPiecesOrderPieceNumberFieldEvent | SegmentInfoPiecesRootFieldEvent | SegmentInfoPiecesSizeFieldEvent | SegmentInfoPlainOffsetFieldEvent | SegmentInfoOrderPrivateKeyFieldEvent | SegmentInfoPartNumberFieldEvent | SegmentInfoPartIndexFieldEvent | SegmentInfoPartOffsetFieldEvent | SegmentInfoPartSizeFieldEvent | SegmentInfoPartSaltFieldEvent | SegmentInfoPartPartOffsetFieldEvent | SegmentInfoPartLeafFieldEvent | SegmentInfoPartProofFieldEvent> {
    return streamMessage(buf, SegmentInfo.codec(), opts)
  }
}

export interface SegmentPart {
  number: number
  index: number
  offset: bigint
  size: bigint
  salt: Uint8Array<ArrayBuffer>
  partOffset: bigint
  leaf: number
  proof: Uint8Array<ArrayBuffer>[]
}

export namespace SegmentPart {
  let _codec: Codec<SegmentPart>

  export const codec = (): Codec<SegmentPart> => {
    if (_codec == null) {
      _codec = message<SegmentPart>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.number != null && obj.number !== 0)) {
          w.uint32(8)
          w.uint32(obj.number)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if ((obj.offset != null && obj.offset !== 0n)) {
          w.uint32(24)
          w.uint64(obj.offset)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(32)
          w.uint64(obj.size)
        }

        if ((obj.salt != null && obj.salt.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.salt)
        }

        if ((obj.partOffset != null && obj.partOffset !== 0n)) {
          w.uint32(48)
          w.uint64(obj.partOffset)
        }

        if ((obj.leaf != null && obj.leaf !== 0)) {
          w.uint32(56)
          w.uint32(obj.leaf)
        }

        if (obj.proof != null && obj.proof.length > 0) {
          for (const value of obj.proof) {
            w.uint32(66)
            w.bytes(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          number: 0,
          index: 0,
          offset: 0n,
          size: 0n,
          salt: uint8ArrayAlloc(0),
          partOffset: 0n,
          leaf: 0,
          proof: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.number = reader.uint32()
              break
            }
            case 2: {
              obj.index = reader.uint32()
              break
            }
            case 3: {
              obj.offset = reader.uint64()
              break
            }
            case 4: {
              obj.size = reader.uint64()
              break
            }
            case 5: {
              obj.salt = reader.bytes()
              break
            }
            case 6: {
              obj.partOffset = reader.uint64()
              break
            }
            case 7: {
              obj.leaf = reader.uint32()
              break
            }
            case 8: {
              if (opts.limits?.proof != null && obj.proof.length === opts.limits.proof) {
                throw new MaxLengthError('Decode error - repeated field "proof" had too many elements')
              }

              obj.proof.push(reader.bytes())
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
          proof: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.number`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.offset`,
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
              yield {
                field: `${prefix}.salt`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.partOffset`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.leaf`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
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

  export interface SegmentPartNumberFieldEvent {
    field: '$.number'
    value: number
  }

  export interface SegmentPartIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface SegmentPartOffsetFieldEvent {
    field: '$.offset'
    value: bigint
  }

  export interface SegmentPartSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface SegmentPartSaltFieldEvent {
    field: '$.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SegmentPartPartOffsetFieldEvent {
    field: '$.partOffset'
    value: bigint
  }

  export interface SegmentPartLeafFieldEvent {
    field: '$.leaf'
    value: number
  }

  export interface SegmentPartProofFieldEvent {
    field: '$.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SegmentPart>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SegmentPart.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SegmentPart>): SegmentPart {
    return decodeMessage(buf, SegmentPart.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SegmentPart>): Generator<SegmentPartNumberFieldEvent | SegmentPartIndexFieldEvent | SegmentPartOffsetFieldEvent | SegmentPartSizeFieldEvent | SegmentPartSaltFieldEvent | SegmentPartPartOffsetFieldEvent | SegmentPartLeafFieldEvent | SegmentPartProofFieldEvent> {
    return streamMessage(buf, SegmentPart.codec(), opts)
  }
}

export interface CreateBucketRequest {
  name: string
}

export namespace CreateBucketRequest {
  let _codec: Codec<CreateBucketRequest>

  export const codec = (): Codec<CreateBucketRequest> => {
    if (_codec == null) {
      _codec = message<CreateBucketRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
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
                field: `${prefix}.name`,
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

  export interface CreateBucketRequestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<CreateBucketRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CreateBucketRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CreateBucketRequest>): CreateBucketRequest {
    return decodeMessage(buf, CreateBucketRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CreateBucketRequest>): Generator<CreateBucketRequestNameFieldEvent> {
    return streamMessage(buf, CreateBucketRequest.codec(), opts)
  }
}

export interface DeleteBucketRequest {
  name: string
}

export namespace DeleteBucketRequest {
  let _codec: Codec<DeleteBucketRequest>

  export const codec = (): Codec<DeleteBucketRequest> => {
    if (_codec == null) {
      _codec = message<DeleteBucketRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
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
                field: `${prefix}.name`,
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

  export interface DeleteBucketRequestNameFieldEvent {
    field: '$.name'
    value: string
  }

  export function encode (obj: Partial<DeleteBucketRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeleteBucketRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteBucketRequest>): DeleteBucketRequest {
    return decodeMessage(buf, DeleteBucketRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteBucketRequest>): Generator<DeleteBucketRequestNameFieldEvent> {
    return streamMessage(buf, DeleteBucketRequest.codec(), opts)
  }
}

export interface ListBucketsRequest {}

export namespace ListBucketsRequest {
  let _codec: Codec<ListBucketsRequest>

  export const codec = (): Codec<ListBucketsRequest> => {
    if (_codec == null) {
      _codec = message<ListBucketsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
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

  export function encode (obj: Partial<ListBucketsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListBucketsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListBucketsRequest>): ListBucketsRequest {
    return decodeMessage(buf, ListBucketsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListBucketsRequest>): Generator<{}> {
    return streamMessage(buf, ListBucketsRequest.codec(), opts)
  }
}

export interface ListBucketsResponse {
  buckets: BucketInfo[]
}

export namespace ListBucketsResponse {
  let _codec: Codec<ListBucketsResponse>

  export const codec = (): Codec<ListBucketsResponse> => {
    if (_codec == null) {
      _codec = message<ListBucketsResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.buckets != null && obj.buckets.length > 0) {
          for (const value of obj.buckets) {
            w.uint32(10)
            BucketInfo.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          buckets: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.buckets != null && obj.buckets.length === opts.limits.buckets) {
                throw new MaxLengthError('Decode error - repeated field "buckets" had too many elements')
              }

              obj.buckets.push(BucketInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.buckets$
              }))
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
          buckets: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.buckets != null && obj.buckets === opts.limits.buckets) {
                throw new MaxLengthError('Streaming decode error - repeated field "buckets" had too many elements')
              }

              for (const evt of BucketInfo.codec().stream(reader, reader.uint32(), `${prefix}.buckets[]`, {
                limits: opts.limits?.buckets$
              })) {
                yield {
                  ...evt,
                  index: obj.buckets
                }
              }

              obj.buckets++

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

  export interface ListBucketsResponseBucketsNameFieldEvent {
    field: '$.buckets[].name'
    value: string
    index: number
  }

  export interface ListBucketsResponseBucketsCreatedFieldEvent {
    field: '$.buckets[].created'
    value: bigint
    index: number
  }

  export function encode (obj: Partial<ListBucketsResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListBucketsResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListBucketsResponse>): ListBucketsResponse {
    return decodeMessage(buf, ListBucketsResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListBucketsResponse>): Generator<ListBucketsResponseBucketsNameFieldEvent | ListBucketsResponseBucketsCreatedFieldEvent> {
    return streamMessage(buf, ListBucketsResponse.codec(), opts)
  }
}

export interface BeginObjectRequest {
  bucket: string
  key: string
  metadata: Uint8Array<ArrayBuffer>
  encryption: string
  expires: bigint
  encryptedKey?: Uint8Array<ArrayBuffer>
  multipart?: boolean
}

export namespace BeginObjectRequest {
  let _codec: Codec<BeginObjectRequest>

  export const codec = (): Codec<BeginObjectRequest> => {
    if (_codec == null) {
      _codec = message<BeginObjectRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(18)
          w.string(obj.key)
        }

        if ((obj.metadata != null && obj.metadata.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.metadata)
        }

        if ((obj.encryption != null && obj.encryption !== '')) {
          w.uint32(34)
          w.string(obj.encryption)
        }

        if ((obj.expires != null && obj.expires !== 0n)) {
          w.uint32(40)
          w.uint64(obj.expires)
        }

        if (obj.encryptedKey != null) {
          w.uint32(50)
          w.bytes(obj.encryptedKey)
        }

        if (obj.multipart != null) {
          w.uint32(56)
          w.bool(obj.multipart)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          key: '',
          metadata: uint8ArrayAlloc(0),
          encryption: '',
          expires: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.key = reader.string()
              break
            }
            case 3: {
              obj.metadata = reader.bytes()
              break
            }
            case 4: {
              obj.encryption = reader.string()
              break
            }
            case 5: {
              obj.expires = reader.uint64()
              break
            }
            case 6: {
              obj.encryptedKey = reader.bytes()
              break
            }
            case 7: {
              obj.multipart = reader.bool()
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
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.metadata`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.encryption`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.expires`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.encryptedKey`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.multipart`,
                value: reader.bool()
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

  export interface BeginObjectRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface BeginObjectRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface BeginObjectRequestMetadataFieldEvent {
    field: '$.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BeginObjectRequestEncryptionFieldEvent {
    field: '$.encryption'
    value: string
  }

  export interface BeginObjectRequestExpiresFieldEvent {
    field: '$.expires'
    value: bigint
  }

  export interface BeginObjectRequestEncryptedKeyFieldEvent {
    field: '$.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BeginObjectRequestMultipartFieldEvent {
    field: '$.multipart'
    value: boolean
  }

  export function encode (obj: Partial<BeginObjectRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeginObjectRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginObjectRequest>): BeginObjectRequest {
    return decodeMessage(buf, BeginObjectRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginObjectRequest>): Generator<BeginObjectRequestBucketFieldEvent | BeginObjectRequestKeyFieldEvent | BeginObjectRequestMetadataFieldEvent | BeginObjectRequestEncryptionFieldEvent | BeginObjectRequestExpiresFieldEvent | BeginObjectRequestEncryptedKeyFieldEvent | BeginObjectRequestMultipartFieldEvent> {
    return streamMessage(buf, BeginObjectRequest.codec(), opts)
  }
}

export interface BeginObjectResponse {
  streamId: string
  scheme?: RedundancyScheme
  maxInline: bigint
}

export namespace BeginObjectResponse {
  let _codec: Codec<BeginObjectResponse>

  export const codec = (): Codec<BeginObjectResponse> => {
    if (_codec == null) {
      _codec = message<BeginObjectResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if (obj.scheme != null) {
          w.uint32(18)
          RedundancyScheme.codec().encode(obj.scheme, w)
        }

        if ((obj.maxInline != null && obj.maxInline !== 0n)) {
          w.uint32(24)
          w.uint64(obj.maxInline)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          maxInline: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.scheme = RedundancyScheme.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.scheme
              })
              break
            }
            case 3: {
              obj.maxInline = reader.uint64()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield * RedundancyScheme.codec().stream(reader, reader.uint32(), `${prefix}.scheme`, {
                limits: opts.limits?.scheme
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.maxInline`,
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

  export interface BeginObjectResponseStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface BeginObjectResponseSchemeMinimumFieldEvent {
    field: '$.scheme.minimum'
    value: number
  }

  export interface BeginObjectResponseSchemeRepairFieldEvent {
    field: '$.scheme.repair'
    value: number
  }

  export interface BeginObjectResponseSchemeSuccessFieldEvent {
    field: '$.scheme.success'
    value: number
  }

  export interface BeginObjectResponseSchemeTotalFieldEvent {
    field: '$.scheme.total'
    value: number
  }

  export interface BeginObjectResponseMaxInlineFieldEvent {
    field: '$.maxInline'
    value: bigint
  }

  export function encode (obj: Partial<BeginObjectResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeginObjectResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginObjectResponse>): BeginObjectResponse {
    return decodeMessage(buf, BeginObjectResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginObjectResponse>): Generator<BeginObjectResponseStreamIdFieldEvent | BeginObjectResponseSchemeMinimumFieldEvent | BeginObjectResponseSchemeRepairFieldEvent | BeginObjectResponseSchemeSuccessFieldEvent | BeginObjectResponseSchemeTotalFieldEvent | BeginObjectResponseMaxInlineFieldEvent> {
    return streamMessage(buf, BeginObjectResponse.codec(), opts)
  }
}

export interface BeginSegmentRequest {
  streamId: string
  index: number
  pieceSize: bigint
}

export namespace BeginSegmentRequest {
  let _codec: Codec<BeginSegmentRequest>

  export const codec = (): Codec<BeginSegmentRequest> => {
    if (_codec == null) {
      _codec = message<BeginSegmentRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if ((obj.pieceSize != null && obj.pieceSize !== 0n)) {
          w.uint32(24)
          w.uint64(obj.pieceSize)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          index: 0,
          pieceSize: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.index = reader.uint32()
              break
            }
            case 3: {
              obj.pieceSize = reader.uint64()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.pieceSize`,
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

  export interface BeginSegmentRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface BeginSegmentRequestIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface BeginSegmentRequestPieceSizeFieldEvent {
    field: '$.pieceSize'
    value: bigint
  }

  export function encode (obj: Partial<BeginSegmentRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeginSegmentRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginSegmentRequest>): BeginSegmentRequest {
    return decodeMessage(buf, BeginSegmentRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginSegmentRequest>): Generator<BeginSegmentRequestStreamIdFieldEvent | BeginSegmentRequestIndexFieldEvent | BeginSegmentRequestPieceSizeFieldEvent> {
    return streamMessage(buf, BeginSegmentRequest.codec(), opts)
  }
}

export interface BeginSegmentResponse {
  rootPieceId: Uint8Array<ArrayBuffer>
  scheme?: RedundancyScheme
  orders: AddressedOrder[]
  piecePrivateKey?: Uint8Array<ArrayBuffer>
}

export namespace BeginSegmentResponse {
  let _codec: Codec<BeginSegmentResponse>

  export const codec = (): Codec<BeginSegmentResponse> => {
    if (_codec == null) {
      _codec = message<BeginSegmentResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.rootPieceId != null && obj.rootPieceId.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.rootPieceId)
        }

        if (obj.scheme != null) {
          w.uint32(18)
          RedundancyScheme.codec().encode(obj.scheme, w)
        }

        if (obj.orders != null && obj.orders.length > 0) {
          for (const value of obj.orders) {
            w.uint32(26)
            AddressedOrder.codec().encode(value, w)
          }
        }

        if (obj.piecePrivateKey != null) {
          w.uint32(34)
          w.bytes(obj.piecePrivateKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          rootPieceId: uint8ArrayAlloc(0),
          orders: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.rootPieceId = reader.bytes()
              break
            }
            case 2: {
              obj.scheme = RedundancyScheme.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.scheme
              })
              break
            }
            case 3: {
              if (opts.limits?.orders != null && obj.orders.length === opts.limits.orders) {
                throw new MaxLengthError('Decode error - repeated field "orders" had too many elements')
              }

              obj.orders.push(AddressedOrder.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.orders$
              }))
              break
            }
            case 4: {
              obj.piecePrivateKey = reader.bytes()
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
          orders: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.rootPieceId`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield * RedundancyScheme.codec().stream(reader, reader.uint32(), `${prefix}.scheme`, {
                limits: opts.limits?.scheme
              })

              break
            }
            case 3: {
              if (opts.limits?.orders != null && obj.orders === opts.limits.orders) {
                throw new MaxLengthError('Streaming decode error - repeated field "orders" had too many elements')
              }

              for (const evt of AddressedOrder.codec().stream(reader, reader.uint32(), `${prefix}.orders[]`, {
                limits: opts.limits?.orders$
              })) {
                yield {
                  ...evt,
                  index: obj.orders
                }
              }

              obj.orders++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.piecePrivateKey`,
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

  export interface BeginSegmentResponseRootPieceIdFieldEvent {
    field: '$.rootPieceId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface BeginSegmentResponseSchemeMinimumFieldEvent {
    field: '$.scheme.minimum'
    value: number
  }

  export interface BeginSegmentResponseSchemeRepairFieldEvent {
    field: '$.scheme.repair'
    value: number
  }

  export interface BeginSegmentResponseSchemeSuccessFieldEvent {
    field: '$.scheme.success'
    value: number
  }

  export interface BeginSegmentResponseSchemeTotalFieldEvent {
    field: '$.scheme.total'
    value: number
  }

  export interface BeginSegmentResponseOrdersOrderLimitFieldEvent {
    field: '$.orders[].order.limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BeginSegmentResponseOrdersOrderSignatureFieldEvent {
    field: '$.orders[].order.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface BeginSegmentResponseOrdersNodeIdFieldEvent {
    field: '$.orders[].nodeId'
    value: string
    index: number
  }

  export interface BeginSegmentResponseOrdersAddressesFieldEvent {
    field: '$.orders[].addresses[]'
    index: number
    value: string
  }

  export interface BeginSegmentResponseOrdersPieceNumberFieldEvent {
    field: '$.orders[].pieceNumber'
    value: number
    index: number
  }

  export interface BeginSegmentResponsePiecePrivateKeyFieldEvent {
    field: '$.piecePrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BeginSegmentResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeginSegmentResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginSegmentResponse>): BeginSegmentResponse {
    return decodeMessage(buf, BeginSegmentResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginSegmentResponse>): Generator<BeginSegmentResponseRootPieceIdFieldEvent | BeginSegmentResponseSchemeMinimumFieldEvent | BeginSegmentResponseSchemeRepairFieldEvent | BeginSegmentResponseSchemeSuccessFieldEvent | BeginSegmentResponseSchemeTotalFieldEvent | BeginSegmentResponseOrdersOrderLimitFieldEvent | BeginSegmentResponseOrdersOrderSignatureFieldEvent | BeginSegmentResponseOrdersNodeIdFieldEvent | BeginSegmentResponseOrdersAddressesFieldEvent | BeginSegmentResponseOrdersPieceNumberFieldEvent | BeginSegmentResponsePiecePrivateKeyFieldEvent> {
    return streamMessage(buf, BeginSegmentResponse.codec(), opts)
  }
}

export interface CommitSegmentRequest {
  streamId: string
  index: number
  plainSize: bigint
  receipts: SignedReceipt[]
  pieceHashes: SignedHash[]
}

export namespace CommitSegmentRequest {
  let _codec: Codec<CommitSegmentRequest>

  export const codec = (): Codec<CommitSegmentRequest> => {
    if (_codec == null) {
      _codec = message<CommitSegmentRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if ((obj.plainSize != null && obj.plainSize !== 0n)) {
          w.uint32(24)
          w.uint64(obj.plainSize)
        }

        if (obj.receipts != null && obj.receipts.length > 0) {
          for (const value of obj.receipts) {
            w.uint32(34)
            SignedReceipt.codec().encode(value, w)
          }
        }

        if (obj.pieceHashes != null && obj.pieceHashes.length > 0) {
          for (const value of obj.pieceHashes) {
            w.uint32(42)
            SignedHash.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          index: 0,
          plainSize: 0n,
          receipts: [],
          pieceHashes: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.index = reader.uint32()
              break
            }
            case 3: {
              obj.plainSize = reader.uint64()
              break
            }
            case 4: {
              if (opts.limits?.receipts != null && obj.receipts.length === opts.limits.receipts) {
                throw new MaxLengthError('Decode error - repeated field "receipts" had too many elements')
              }

              obj.receipts.push(SignedReceipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipts$
              }))
              break
            }
            case 5: {
              if (opts.limits?.pieceHashes != null && obj.pieceHashes.length === opts.limits.pieceHashes) {
                throw new MaxLengthError('Decode error - repeated field "pieceHashes" had too many elements')
              }

              obj.pieceHashes.push(SignedHash.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.pieceHashes$
              }))
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
          receipts: 0,
          pieceHashes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.plainSize`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              if (opts.limits?.receipts != null && obj.receipts === opts.limits.receipts) {
                throw new MaxLengthError('Streaming decode error - repeated field "receipts" had too many elements')
              }

              for (const evt of SignedReceipt.codec().stream(reader, reader.uint32(), `${prefix}.receipts[]`, {
                limits: opts.limits?.receipts$
              })) {
                yield {
                  ...evt,
                  index: obj.receipts
                }
              }

              obj.receipts++

              break
            }
            case 5: {
              if (opts.limits?.pieceHashes != null && obj.pieceHashes === opts.limits.pieceHashes) {
                throw new MaxLengthError('Streaming decode error - repeated field "pieceHashes" had too many elements')
              }

              for (const evt of SignedHash.codec().stream(reader, reader.uint32(), `${prefix}.pieceHashes[]`, {
                limits: opts.limits?.pieceHashes$
              })) {
                yield {
                  ...evt,
                  index: obj.pieceHashes
                }
              }

              obj.pieceHashes++

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

  export interface CommitSegmentRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface CommitSegmentRequestIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface CommitSegmentRequestPlainSizeFieldEvent {
    field: '$.plainSize'
    value: bigint
  }

  export interface CommitSegmentRequestReceiptsReceiptFieldEvent {
    field: '$.receipts[].receipt'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CommitSegmentRequestReceiptsSignatureFieldEvent {
    field: '$.receipts[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CommitSegmentRequestPieceHashesHashFieldEvent {
    field: '$.pieceHashes[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CommitSegmentRequestPieceHashesSignatureFieldEvent {
    field: '$.pieceHashes[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<CommitSegmentRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitSegmentRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitSegmentRequest>): CommitSegmentRequest {
    return decodeMessage(buf, CommitSegmentRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitSegmentRequest>): Generator<CommitSegmentRequestStreamIdFieldEvent | CommitSegmentRequestIndexFieldEvent | CommitSegmentRequestPlainSizeFieldEvent | CommitSegmentRequestReceiptsReceiptFieldEvent | CommitSegmentRequestReceiptsSignatureFieldEvent | CommitSegmentRequestPieceHashesHashFieldEvent | CommitSegmentRequestPieceHashesSignatureFieldEvent> {
    return streamMessage(buf, CommitSegmentRequest.codec(), opts)
  }
}

export interface CommitInlineSegmentRequest {
  streamId: string
  index: number
  plainSize: bigint
  data: Uint8Array<ArrayBuffer>
}

export namespace CommitInlineSegmentRequest {
  let _codec: Codec<CommitInlineSegmentRequest>

  export const codec = (): Codec<CommitInlineSegmentRequest> => {
    if (_codec == null) {
      _codec = message<CommitInlineSegmentRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if ((obj.plainSize != null && obj.plainSize !== 0n)) {
          w.uint32(24)
          w.uint64(obj.plainSize)
        }

        if ((obj.data != null && obj.data.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.data)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          index: 0,
          plainSize: 0n,
          data: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.index = reader.uint32()
              break
            }
            case 3: {
              obj.plainSize = reader.uint64()
              break
            }
            case 4: {
              obj.data = reader.bytes()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.plainSize`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.data`,
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

  export interface CommitInlineSegmentRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface CommitInlineSegmentRequestIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface CommitInlineSegmentRequestPlainSizeFieldEvent {
    field: '$.plainSize'
    value: bigint
  }

  export interface CommitInlineSegmentRequestDataFieldEvent {
    field: '$.data'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CommitInlineSegmentRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitInlineSegmentRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitInlineSegmentRequest>): CommitInlineSegmentRequest {
    return decodeMessage(buf, CommitInlineSegmentRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitInlineSegmentRequest>): Generator<CommitInlineSegmentRequestStreamIdFieldEvent | CommitInlineSegmentRequestIndexFieldEvent | CommitInlineSegmentRequestPlainSizeFieldEvent | CommitInlineSegmentRequestDataFieldEvent> {
    return streamMessage(buf, CommitInlineSegmentRequest.codec(), opts)
  }
}

export interface CommitObjectRequest {
  streamId: string
  metadata?: Uint8Array<ArrayBuffer>
}

export namespace CommitObjectRequest {
  let _codec: Codec<CommitObjectRequest>

  export const codec = (): Codec<CommitObjectRequest> => {
    if (_codec == null) {
      _codec = message<CommitObjectRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if (obj.metadata != null) {
          w.uint32(18)
          w.bytes(obj.metadata)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.metadata = reader.bytes()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.metadata`,
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

  export interface CommitObjectRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface CommitObjectRequestMetadataFieldEvent {
    field: '$.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CommitObjectRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitObjectRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitObjectRequest>): CommitObjectRequest {
    return decodeMessage(buf, CommitObjectRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitObjectRequest>): Generator<CommitObjectRequestStreamIdFieldEvent | CommitObjectRequestMetadataFieldEvent> {
    return streamMessage(buf, CommitObjectRequest.codec(), opts)
  }
}

export interface CommitObjectResponse {
  size: bigint
  committed?: bigint
}

export namespace CommitObjectResponse {
  let _codec: Codec<CommitObjectResponse>

  export const codec = (): Codec<CommitObjectResponse> => {
    if (_codec == null) {
      _codec = message<CommitObjectResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(8)
          w.uint64(obj.size)
        }

        if (obj.committed != null) {
          w.uint32(16)
          w.uint64(obj.committed)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          size: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.size = reader.uint64()
              break
            }
            case 2: {
              obj.committed = reader.uint64()
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
                field: `${prefix}.size`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.committed`,
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

  export interface CommitObjectResponseSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface CommitObjectResponseCommittedFieldEvent {
    field: '$.committed'
    value: bigint
  }

  export function encode (obj: Partial<CommitObjectResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitObjectResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitObjectResponse>): CommitObjectResponse {
    return decodeMessage(buf, CommitObjectResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitObjectResponse>): Generator<CommitObjectResponseSizeFieldEvent | CommitObjectResponseCommittedFieldEvent> {
    return streamMessage(buf, CommitObjectResponse.codec(), opts)
  }
}

export interface GetObjectRequest {
  bucket: string
  key: string
  firstSegment?: number
  offset?: bigint
  segmentLimit?: number
  statOnly?: boolean
  allPieces?: boolean
  partNumber?: number
}

export namespace GetObjectRequest {
  let _codec: Codec<GetObjectRequest>

  export const codec = (): Codec<GetObjectRequest> => {
    if (_codec == null) {
      _codec = message<GetObjectRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(18)
          w.string(obj.key)
        }

        if (obj.firstSegment != null) {
          w.uint32(24)
          w.uint32(obj.firstSegment)
        }

        if (obj.offset != null) {
          w.uint32(32)
          w.uint64(obj.offset)
        }

        if (obj.segmentLimit != null) {
          w.uint32(40)
          w.uint32(obj.segmentLimit)
        }

        if (obj.statOnly != null) {
          w.uint32(48)
          w.bool(obj.statOnly)
        }

        if (obj.allPieces != null) {
          w.uint32(56)
          w.bool(obj.allPieces)
        }

        if (obj.partNumber != null) {
          w.uint32(64)
          w.uint32(obj.partNumber)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.key = reader.string()
              break
            }
            case 3: {
              obj.firstSegment = reader.uint32()
              break
            }
            case 4: {
              obj.offset = reader.uint64()
              break
            }
            case 5: {
              obj.segmentLimit = reader.uint32()
              break
            }
            case 6: {
              obj.statOnly = reader.bool()
              break
            }
            case 7: {
              obj.allPieces = reader.bool()
              break
            }
            case 8: {
              obj.partNumber = reader.uint32()
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
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.firstSegment`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.offset`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.segmentLimit`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.statOnly`,
                value: reader.bool()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.allPieces`,
                value: reader.bool()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.partNumber`,
                value: reader.uint32()
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

  export interface GetObjectRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface GetObjectRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface GetObjectRequestFirstSegmentFieldEvent {
    field: '$.firstSegment'
    value: number
  }

  export interface GetObjectRequestOffsetFieldEvent {
    field: '$.offset'
    value: bigint
  }

  export interface GetObjectRequestSegmentLimitFieldEvent {
    field: '$.segmentLimit'
    value: number
  }

  export interface GetObjectRequestStatOnlyFieldEvent {
    field: '$.statOnly'
    value: boolean
  }

  export interface GetObjectRequestAllPiecesFieldEvent {
    field: '$.allPieces'
    value: boolean
  }

  export interface GetObjectRequestPartNumberFieldEvent {
    field: '$.partNumber'
    value: number
  }

  export function encode (obj: Partial<GetObjectRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetObjectRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetObjectRequest>): GetObjectRequest {
    return decodeMessage(buf, GetObjectRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetObjectRequest>): Generator<GetObjectRequestBucketFieldEvent | GetObjectRequestKeyFieldEvent | GetObjectRequestFirstSegmentFieldEvent | GetObjectRequestOffsetFieldEvent | GetObjectRequestSegmentLimitFieldEvent | GetObjectRequestStatOnlyFieldEvent | GetObjectRequestAllPiecesFieldEvent | GetObjectRequestPartNumberFieldEvent> {
    return streamMessage(buf, GetObjectRequest.codec(), opts)
  }
}

export interface GetObjectResponse {
  object?: ObjectInfo
  segments: SegmentInfo[]
  more?: boolean
  nextSegment?: number
  partOffset?: bigint
  partSize?: bigint
  partPlace?: SegmentPart
}

export namespace GetObjectResponse {
  let _codec: Codec<GetObjectResponse>

  export const codec = (): Codec<GetObjectResponse> => {
    if (_codec == null) {
      _codec = message<GetObjectResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.object != null) {
          w.uint32(10)
          ObjectInfo.codec().encode(obj.object, w)
        }

        if (obj.segments != null && obj.segments.length > 0) {
          for (const value of obj.segments) {
            w.uint32(18)
            SegmentInfo.codec().encode(value, w)
          }
        }

        if (obj.more != null) {
          w.uint32(24)
          w.bool(obj.more)
        }

        if (obj.nextSegment != null) {
          w.uint32(32)
          w.uint32(obj.nextSegment)
        }

        if (obj.partOffset != null) {
          w.uint32(40)
          w.uint64(obj.partOffset)
        }

        if (obj.partSize != null) {
          w.uint32(48)
          w.uint64(obj.partSize)
        }

        if (obj.partPlace != null) {
          w.uint32(58)
          SegmentPart.codec().encode(obj.partPlace, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          segments: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.object = ObjectInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.object
              })
              break
            }
            case 2: {
              if (opts.limits?.segments != null && obj.segments.length === opts.limits.segments) {
                throw new MaxLengthError('Decode error - repeated field "segments" had too many elements')
              }

              obj.segments.push(SegmentInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.segments$
              }))
              break
            }
            case 3: {
              obj.more = reader.bool()
              break
            }
            case 4: {
              obj.nextSegment = reader.uint32()
              break
            }
            case 5: {
              obj.partOffset = reader.uint64()
              break
            }
            case 6: {
              obj.partSize = reader.uint64()
              break
            }
            case 7: {
              obj.partPlace = SegmentPart.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.partPlace
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
          segments: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * ObjectInfo.codec().stream(reader, reader.uint32(), `${prefix}.object`, {
                limits: opts.limits?.object
              })

              break
            }
            case 2: {
              if (opts.limits?.segments != null && obj.segments === opts.limits.segments) {
                throw new MaxLengthError('Streaming decode error - repeated field "segments" had too many elements')
              }

              for (const evt of SegmentInfo.codec().stream(reader, reader.uint32(), `${prefix}.segments[]`, {
                limits: opts.limits?.segments$
              })) {
                yield {
                  ...evt,
                  index: obj.segments
                }
              }

              obj.segments++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.nextSegment`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.partOffset`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.partSize`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield * SegmentPart.codec().stream(reader, reader.uint32(), `${prefix}.partPlace`, {
                limits: opts.limits?.partPlace
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

  export interface GetObjectResponseObjectBucketFieldEvent {
    field: '$.object.bucket'
    value: string
  }

  export interface GetObjectResponseObjectKeyFieldEvent {
    field: '$.object.key'
    value: string
  }

  export interface GetObjectResponseObjectSizeFieldEvent {
    field: '$.object.size'
    value: bigint
  }

  export interface GetObjectResponseObjectCreatedFieldEvent {
    field: '$.object.created'
    value: bigint
  }

  export interface GetObjectResponseObjectCommittedFieldEvent {
    field: '$.object.committed'
    value: bigint
  }

  export interface GetObjectResponseObjectSegmentCountFieldEvent {
    field: '$.object.segmentCount'
    value: number
  }

  export interface GetObjectResponseObjectMetadataFieldEvent {
    field: '$.object.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetObjectResponseObjectEncryptionFieldEvent {
    field: '$.object.encryption'
    value: string
  }

  export interface GetObjectResponseObjectExpiresFieldEvent {
    field: '$.object.expires'
    value: bigint
  }

  export interface GetObjectResponseObjectEncryptedKeyFieldEvent {
    field: '$.object.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetObjectResponseObjectPartCountFieldEvent {
    field: '$.object.partCount'
    value: number
  }

  export interface GetObjectResponseSegmentsIndexFieldEvent {
    field: '$.segments[].index'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsPlainSizeFieldEvent {
    field: '$.segments[].plainSize'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsPieceSizeFieldEvent {
    field: '$.segments[].pieceSize'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsInlineFieldEvent {
    field: '$.segments[].inline'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetObjectResponseSegmentsSchemeMinimumFieldEvent {
    field: '$.segments[].scheme.minimum'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsSchemeRepairFieldEvent {
    field: '$.segments[].scheme.repair'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsSchemeSuccessFieldEvent {
    field: '$.segments[].scheme.success'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsSchemeTotalFieldEvent {
    field: '$.segments[].scheme.total'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsPiecesOrderOrderLimitFieldEvent {
    field: '$.segments[].pieces[].order.order.limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetObjectResponseSegmentsPiecesOrderOrderSignatureFieldEvent {
    field: '$.segments[].pieces[].order.order.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetObjectResponseSegmentsPiecesOrderNodeIdFieldEvent {
    field: '$.segments[].pieces[].order.nodeId'
    value: string
    index: number
  }

  export interface GetObjectResponseSegmentsPiecesOrderAddressesFieldEvent {
    field: '$.segments[].pieces[].order.addresses[]'
    index: number
    value: string
  }

  export interface GetObjectResponseSegmentsPiecesOrderPieceNumberFieldEvent {
    field: '$.segments[].pieces[].order.pieceNumber'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsPiecesRootFieldEvent {
    field: '$.segments[].pieces[].root'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetObjectResponseSegmentsPiecesSizeFieldEvent {
    field: '$.segments[].pieces[].size'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsPlainOffsetFieldEvent {
    field: '$.segments[].plainOffset'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsOrderPrivateKeyFieldEvent {
    field: '$.segments[].orderPrivateKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetObjectResponseSegmentsPartNumberFieldEvent {
    field: '$.segments[].part.number'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsPartIndexFieldEvent {
    field: '$.segments[].part.index'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsPartOffsetFieldEvent {
    field: '$.segments[].part.offset'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsPartSizeFieldEvent {
    field: '$.segments[].part.size'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsPartSaltFieldEvent {
    field: '$.segments[].part.salt'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface GetObjectResponseSegmentsPartPartOffsetFieldEvent {
    field: '$.segments[].part.partOffset'
    value: bigint
    index: number
  }

  export interface GetObjectResponseSegmentsPartLeafFieldEvent {
    field: '$.segments[].part.leaf'
    value: number
    index: number
  }

  export interface GetObjectResponseSegmentsPartProofFieldEvent {
    field: '$.segments[].part.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetObjectResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export interface GetObjectResponseNextSegmentFieldEvent {
    field: '$.nextSegment'
    value: number
  }

  export interface GetObjectResponsePartOffsetFieldEvent {
    field: '$.partOffset'
    value: bigint
  }

  export interface GetObjectResponsePartSizeFieldEvent {
    field: '$.partSize'
    value: bigint
  }

  export interface GetObjectResponsePartPlaceNumberFieldEvent {
    field: '$.partPlace.number'
    value: number
  }

  export interface GetObjectResponsePartPlaceIndexFieldEvent {
    field: '$.partPlace.index'
    value: number
  }

  export interface GetObjectResponsePartPlaceOffsetFieldEvent {
    field: '$.partPlace.offset'
    value: bigint
  }

  export interface GetObjectResponsePartPlaceSizeFieldEvent {
    field: '$.partPlace.size'
    value: bigint
  }

  export interface GetObjectResponsePartPlaceSaltFieldEvent {
    field: '$.partPlace.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GetObjectResponsePartPlacePartOffsetFieldEvent {
    field: '$.partPlace.partOffset'
    value: bigint
  }

  export interface GetObjectResponsePartPlaceLeafFieldEvent {
    field: '$.partPlace.leaf'
    value: number
  }

  export interface GetObjectResponsePartPlaceProofFieldEvent {
    field: '$.partPlace.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GetObjectResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GetObjectResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetObjectResponse>): GetObjectResponse {
    return decodeMessage(buf, GetObjectResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GetObjectResponse>): Generator<GetObjectResponseObjectBucketFieldEvent | GetObjectResponseObjectKeyFieldEvent | GetObjectResponseObjectSizeFieldEvent | GetObjectResponseObjectCreatedFieldEvent | GetObjectResponseObjectCommittedFieldEvent | GetObjectResponseObjectSegmentCountFieldEvent | GetObjectResponseObjectMetadataFieldEvent | GetObjectResponseObjectEncryptionFieldEvent | GetObjectResponseObjectExpiresFieldEvent | GetObjectResponseObjectEncryptedKeyFieldEvent | GetObjectResponseObjectPartCountFieldEvent | GetObjectResponseSegmentsIndexFieldEvent | GetObjectResponseSegmentsPlainSizeFieldEvent | GetObjectResponseSegmentsPieceSizeFieldEvent | GetObjectResponseSegmentsInlineFieldEvent | GetObjectResponseSegmentsSchemeMinimumFieldEvent | GetObjectResponseSegmentsSchemeRepairFieldEvent | GetObjectResponseSegmentsSchemeSuccessFieldEvent | GetObjectResponseSegmentsSchemeTotalFieldEvent | GetObjectResponseSegmentsPiecesOrderOrderLimitFieldEvent | GetObjectResponseSegmentsPiecesOrderOrderSignatureFieldEvent | GetObjectResponseSegmentsPiecesOrderNodeIdFieldEvent | GetObjectResponseSegmentsPiecesOrderAddressesFieldEvent | GetObjectResponseSegmentsPiecesOrderPieceNumberFieldEvent | GetObjectResponseSegmentsPiecesRootFieldEvent | GetObjectResponseSegmentsPiecesSizeFieldEvent | GetObjectResponseSegmentsPlainOffsetFieldEvent | GetObjectResponseSegmentsOrderPrivateKeyFieldEvent | GetObjectResponseSegmentsPartNumberFieldEvent | GetObjectResponseSegmentsPartIndexFieldEvent | GetObjectResponseSegmentsPartOffsetFieldEvent | GetObjectResponseSegmentsPartSizeFieldEvent | GetObjectResponseSegmentsPartSaltFieldEvent | GetObjectResponseSegmentsPartPartOffsetFieldEvent | GetObjectResponseSegmentsPartLeafFieldEvent | GetObjectResponseSegmentsPartProofFieldEvent | GetObjectResponseMoreFieldEvent | GetObjectResponseNextSegmentFieldEvent | GetObjectResponsePartOffsetFieldEvent | GetObjectResponsePartSizeFieldEvent | GetObjectResponsePartPlaceNumberFieldEvent | GetObjectResponsePartPlaceIndexFieldEvent | GetObjectResponsePartPlaceOffsetFieldEvent | GetObjectResponsePartPlaceSizeFieldEvent | GetObjectResponsePartPlaceSaltFieldEvent | GetObjectResponsePartPlacePartOffsetFieldEvent | GetObjectResponsePartPlaceLeafFieldEvent | GetObjectResponsePartPlaceProofFieldEvent> {
    return streamMessage(buf, GetObjectResponse.codec(), opts)
  }
}

export interface BeginPartRequest {
  streamId: string
  partNumber: number
  bucket: string
  key: string
}

export namespace BeginPartRequest {
  let _codec: Codec<BeginPartRequest>

  export const codec = (): Codec<BeginPartRequest> => {
    if (_codec == null) {
      _codec = message<BeginPartRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.partNumber != null && obj.partNumber !== 0)) {
          w.uint32(16)
          w.uint32(obj.partNumber)
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(26)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(34)
          w.string(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          partNumber: 0,
          bucket: '',
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.partNumber = reader.uint32()
              break
            }
            case 3: {
              obj.bucket = reader.string()
              break
            }
            case 4: {
              obj.key = reader.string()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.partNumber`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.key`,
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

  export interface BeginPartRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface BeginPartRequestPartNumberFieldEvent {
    field: '$.partNumber'
    value: number
  }

  export interface BeginPartRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface BeginPartRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export function encode (obj: Partial<BeginPartRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeginPartRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginPartRequest>): BeginPartRequest {
    return decodeMessage(buf, BeginPartRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginPartRequest>): Generator<BeginPartRequestStreamIdFieldEvent | BeginPartRequestPartNumberFieldEvent | BeginPartRequestBucketFieldEvent | BeginPartRequestKeyFieldEvent> {
    return streamMessage(buf, BeginPartRequest.codec(), opts)
  }
}

export interface BeginPartResponse {
  partStreamId: string
  scheme?: RedundancyScheme
  maxInline: bigint
  encryptedKey: Uint8Array<ArrayBuffer>
}

export namespace BeginPartResponse {
  let _codec: Codec<BeginPartResponse>

  export const codec = (): Codec<BeginPartResponse> => {
    if (_codec == null) {
      _codec = message<BeginPartResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.partStreamId != null && obj.partStreamId !== '')) {
          w.uint32(10)
          w.string(obj.partStreamId)
        }

        if (obj.scheme != null) {
          w.uint32(18)
          RedundancyScheme.codec().encode(obj.scheme, w)
        }

        if ((obj.maxInline != null && obj.maxInline !== 0n)) {
          w.uint32(24)
          w.uint64(obj.maxInline)
        }

        if ((obj.encryptedKey != null && obj.encryptedKey.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.encryptedKey)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          partStreamId: '',
          maxInline: 0n,
          encryptedKey: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.partStreamId = reader.string()
              break
            }
            case 2: {
              obj.scheme = RedundancyScheme.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.scheme
              })
              break
            }
            case 3: {
              obj.maxInline = reader.uint64()
              break
            }
            case 4: {
              obj.encryptedKey = reader.bytes()
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
                field: `${prefix}.partStreamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield * RedundancyScheme.codec().stream(reader, reader.uint32(), `${prefix}.scheme`, {
                limits: opts.limits?.scheme
              })

              break
            }
            case 3: {
              yield {
                field: `${prefix}.maxInline`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.encryptedKey`,
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

  export interface BeginPartResponsePartStreamIdFieldEvent {
    field: '$.partStreamId'
    value: string
  }

  export interface BeginPartResponseSchemeMinimumFieldEvent {
    field: '$.scheme.minimum'
    value: number
  }

  export interface BeginPartResponseSchemeRepairFieldEvent {
    field: '$.scheme.repair'
    value: number
  }

  export interface BeginPartResponseSchemeSuccessFieldEvent {
    field: '$.scheme.success'
    value: number
  }

  export interface BeginPartResponseSchemeTotalFieldEvent {
    field: '$.scheme.total'
    value: number
  }

  export interface BeginPartResponseMaxInlineFieldEvent {
    field: '$.maxInline'
    value: bigint
  }

  export interface BeginPartResponseEncryptedKeyFieldEvent {
    field: '$.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<BeginPartResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, BeginPartResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginPartResponse>): BeginPartResponse {
    return decodeMessage(buf, BeginPartResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<BeginPartResponse>): Generator<BeginPartResponsePartStreamIdFieldEvent | BeginPartResponseSchemeMinimumFieldEvent | BeginPartResponseSchemeRepairFieldEvent | BeginPartResponseSchemeSuccessFieldEvent | BeginPartResponseSchemeTotalFieldEvent | BeginPartResponseMaxInlineFieldEvent | BeginPartResponseEncryptedKeyFieldEvent> {
    return streamMessage(buf, BeginPartResponse.codec(), opts)
  }
}

export interface CommitPartRequest {
  partStreamId: string
  salt: Uint8Array<ArrayBuffer>
  info: Uint8Array<ArrayBuffer>
}

export namespace CommitPartRequest {
  let _codec: Codec<CommitPartRequest>

  export const codec = (): Codec<CommitPartRequest> => {
    if (_codec == null) {
      _codec = message<CommitPartRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.partStreamId != null && obj.partStreamId !== '')) {
          w.uint32(10)
          w.string(obj.partStreamId)
        }

        if ((obj.salt != null && obj.salt.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.salt)
        }

        if ((obj.info != null && obj.info.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.info)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          partStreamId: '',
          salt: uint8ArrayAlloc(0),
          info: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.partStreamId = reader.string()
              break
            }
            case 2: {
              obj.salt = reader.bytes()
              break
            }
            case 3: {
              obj.info = reader.bytes()
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
                field: `${prefix}.partStreamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.salt`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.info`,
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

  export interface CommitPartRequestPartStreamIdFieldEvent {
    field: '$.partStreamId'
    value: string
  }

  export interface CommitPartRequestSaltFieldEvent {
    field: '$.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitPartRequestInfoFieldEvent {
    field: '$.info'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CommitPartRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitPartRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitPartRequest>): CommitPartRequest {
    return decodeMessage(buf, CommitPartRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitPartRequest>): Generator<CommitPartRequestPartStreamIdFieldEvent | CommitPartRequestSaltFieldEvent | CommitPartRequestInfoFieldEvent> {
    return streamMessage(buf, CommitPartRequest.codec(), opts)
  }
}

export interface PartInfo {
  number: number
  size: bigint
  committed: bigint
  salt: Uint8Array<ArrayBuffer>
  info: Uint8Array<ArrayBuffer>
  partStreamId: string
}

export namespace PartInfo {
  let _codec: Codec<PartInfo>

  export const codec = (): Codec<PartInfo> => {
    if (_codec == null) {
      _codec = message<PartInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.number != null && obj.number !== 0)) {
          w.uint32(8)
          w.uint32(obj.number)
        }

        if ((obj.size != null && obj.size !== 0n)) {
          w.uint32(16)
          w.uint64(obj.size)
        }

        if ((obj.committed != null && obj.committed !== 0n)) {
          w.uint32(24)
          w.uint64(obj.committed)
        }

        if ((obj.salt != null && obj.salt.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.salt)
        }

        if ((obj.info != null && obj.info.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.info)
        }

        if ((obj.partStreamId != null && obj.partStreamId !== '')) {
          w.uint32(50)
          w.string(obj.partStreamId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          number: 0,
          size: 0n,
          committed: 0n,
          salt: uint8ArrayAlloc(0),
          info: uint8ArrayAlloc(0),
          partStreamId: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.number = reader.uint32()
              break
            }
            case 2: {
              obj.size = reader.uint64()
              break
            }
            case 3: {
              obj.committed = reader.uint64()
              break
            }
            case 4: {
              obj.salt = reader.bytes()
              break
            }
            case 5: {
              obj.info = reader.bytes()
              break
            }
            case 6: {
              obj.partStreamId = reader.string()
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
                field: `${prefix}.number`,
                value: reader.uint32()
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
                field: `${prefix}.committed`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.salt`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.info`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.partStreamId`,
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

  export interface PartInfoNumberFieldEvent {
    field: '$.number'
    value: number
  }

  export interface PartInfoSizeFieldEvent {
    field: '$.size'
    value: bigint
  }

  export interface PartInfoCommittedFieldEvent {
    field: '$.committed'
    value: bigint
  }

  export interface PartInfoSaltFieldEvent {
    field: '$.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PartInfoInfoFieldEvent {
    field: '$.info'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PartInfoPartStreamIdFieldEvent {
    field: '$.partStreamId'
    value: string
  }

  export function encode (obj: Partial<PartInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PartInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PartInfo>): PartInfo {
    return decodeMessage(buf, PartInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PartInfo>): Generator<PartInfoNumberFieldEvent | PartInfoSizeFieldEvent | PartInfoCommittedFieldEvent | PartInfoSaltFieldEvent | PartInfoInfoFieldEvent | PartInfoPartStreamIdFieldEvent> {
    return streamMessage(buf, PartInfo.codec(), opts)
  }
}

export interface CommitPartResponse {
  part?: PartInfo
}

export namespace CommitPartResponse {
  let _codec: Codec<CommitPartResponse>

  export const codec = (): Codec<CommitPartResponse> => {
    if (_codec == null) {
      _codec = message<CommitPartResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.part != null) {
          w.uint32(10)
          PartInfo.codec().encode(obj.part, w)
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
              obj.part = PartInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.part
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
              yield * PartInfo.codec().stream(reader, reader.uint32(), `${prefix}.part`, {
                limits: opts.limits?.part
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

  export interface CommitPartResponsePartNumberFieldEvent {
    field: '$.part.number'
    value: number
  }

  export interface CommitPartResponsePartSizeFieldEvent {
    field: '$.part.size'
    value: bigint
  }

  export interface CommitPartResponsePartCommittedFieldEvent {
    field: '$.part.committed'
    value: bigint
  }

  export interface CommitPartResponsePartSaltFieldEvent {
    field: '$.part.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitPartResponsePartInfoFieldEvent {
    field: '$.part.info'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CommitPartResponsePartPartStreamIdFieldEvent {
    field: '$.part.partStreamId'
    value: string
  }

  export function encode (obj: Partial<CommitPartResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CommitPartResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitPartResponse>): CommitPartResponse {
    return decodeMessage(buf, CommitPartResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CommitPartResponse>): Generator<CommitPartResponsePartNumberFieldEvent | CommitPartResponsePartSizeFieldEvent | CommitPartResponsePartCommittedFieldEvent | CommitPartResponsePartSaltFieldEvent | CommitPartResponsePartInfoFieldEvent | CommitPartResponsePartPartStreamIdFieldEvent> {
    return streamMessage(buf, CommitPartResponse.codec(), opts)
  }
}

export interface ListPartsRequest {
  streamId: string
  after: number
  limit: number
  bucket: string
  key: string
}

export namespace ListPartsRequest {
  let _codec: Codec<ListPartsRequest>

  export const codec = (): Codec<ListPartsRequest> => {
    if (_codec == null) {
      _codec = message<ListPartsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.after != null && obj.after !== 0)) {
          w.uint32(16)
          w.uint32(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(24)
          w.uint32(obj.limit)
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(34)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(42)
          w.string(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          after: 0,
          limit: 0,
          bucket: '',
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.after = reader.uint32()
              break
            }
            case 3: {
              obj.limit = reader.uint32()
              break
            }
            case 4: {
              obj.bucket = reader.string()
              break
            }
            case 5: {
              obj.key = reader.string()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.after`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.key`,
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

  export interface ListPartsRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface ListPartsRequestAfterFieldEvent {
    field: '$.after'
    value: number
  }

  export interface ListPartsRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface ListPartsRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface ListPartsRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export function encode (obj: Partial<ListPartsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListPartsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListPartsRequest>): ListPartsRequest {
    return decodeMessage(buf, ListPartsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListPartsRequest>): Generator<ListPartsRequestStreamIdFieldEvent | ListPartsRequestAfterFieldEvent | ListPartsRequestLimitFieldEvent | ListPartsRequestBucketFieldEvent | ListPartsRequestKeyFieldEvent> {
    return streamMessage(buf, ListPartsRequest.codec(), opts)
  }
}

export interface ListPartsResponse {
  parts: PartInfo[]
  more: boolean
  encryptedKey: Uint8Array<ArrayBuffer>
  metadata: Uint8Array<ArrayBuffer>
}

export namespace ListPartsResponse {
  let _codec: Codec<ListPartsResponse>

  export const codec = (): Codec<ListPartsResponse> => {
    if (_codec == null) {
      _codec = message<ListPartsResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.parts != null && obj.parts.length > 0) {
          for (const value of obj.parts) {
            w.uint32(10)
            PartInfo.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(16)
          w.bool(obj.more)
        }

        if ((obj.encryptedKey != null && obj.encryptedKey.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.encryptedKey)
        }

        if ((obj.metadata != null && obj.metadata.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.metadata)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          parts: [],
          more: false,
          encryptedKey: uint8ArrayAlloc(0),
          metadata: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.parts != null && obj.parts.length === opts.limits.parts) {
                throw new MaxLengthError('Decode error - repeated field "parts" had too many elements')
              }

              obj.parts.push(PartInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.parts$
              }))
              break
            }
            case 2: {
              obj.more = reader.bool()
              break
            }
            case 3: {
              obj.encryptedKey = reader.bytes()
              break
            }
            case 4: {
              obj.metadata = reader.bytes()
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
          parts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.parts != null && obj.parts === opts.limits.parts) {
                throw new MaxLengthError('Streaming decode error - repeated field "parts" had too many elements')
              }

              for (const evt of PartInfo.codec().stream(reader, reader.uint32(), `${prefix}.parts[]`, {
                limits: opts.limits?.parts$
              })) {
                yield {
                  ...evt,
                  index: obj.parts
                }
              }

              obj.parts++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.encryptedKey`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.metadata`,
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

  export interface ListPartsResponsePartsNumberFieldEvent {
    field: '$.parts[].number'
    value: number
    index: number
  }

  export interface ListPartsResponsePartsSizeFieldEvent {
    field: '$.parts[].size'
    value: bigint
    index: number
  }

  export interface ListPartsResponsePartsCommittedFieldEvent {
    field: '$.parts[].committed'
    value: bigint
    index: number
  }

  export interface ListPartsResponsePartsSaltFieldEvent {
    field: '$.parts[].salt'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ListPartsResponsePartsInfoFieldEvent {
    field: '$.parts[].info'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ListPartsResponsePartsPartStreamIdFieldEvent {
    field: '$.parts[].partStreamId'
    value: string
    index: number
  }

  export interface ListPartsResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export interface ListPartsResponseEncryptedKeyFieldEvent {
    field: '$.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ListPartsResponseMetadataFieldEvent {
    field: '$.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ListPartsResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListPartsResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListPartsResponse>): ListPartsResponse {
    return decodeMessage(buf, ListPartsResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListPartsResponse>): Generator<ListPartsResponsePartsNumberFieldEvent | ListPartsResponsePartsSizeFieldEvent | ListPartsResponsePartsCommittedFieldEvent | ListPartsResponsePartsSaltFieldEvent | ListPartsResponsePartsInfoFieldEvent | ListPartsResponsePartsPartStreamIdFieldEvent | ListPartsResponseMoreFieldEvent | ListPartsResponseEncryptedKeyFieldEvent | ListPartsResponseMetadataFieldEvent> {
    return streamMessage(buf, ListPartsResponse.codec(), opts)
  }
}

export interface CompletePart {
  number: number
  partTag: Uint8Array<ArrayBuffer>
}

export namespace CompletePart {
  let _codec: Codec<CompletePart>

  export const codec = (): Codec<CompletePart> => {
    if (_codec == null) {
      _codec = message<CompletePart>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.number != null && obj.number !== 0)) {
          w.uint32(8)
          w.uint32(obj.number)
        }

        if ((obj.partTag != null && obj.partTag.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.partTag)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          number: 0,
          partTag: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.number = reader.uint32()
              break
            }
            case 2: {
              obj.partTag = reader.bytes()
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
                field: `${prefix}.number`,
                value: reader.uint32()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.partTag`,
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

  export interface CompletePartNumberFieldEvent {
    field: '$.number'
    value: number
  }

  export interface CompletePartPartTagFieldEvent {
    field: '$.partTag'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CompletePart>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CompletePart.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompletePart>): CompletePart {
    return decodeMessage(buf, CompletePart.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompletePart>): Generator<CompletePartNumberFieldEvent | CompletePartPartTagFieldEvent> {
    return streamMessage(buf, CompletePart.codec(), opts)
  }
}

export interface CompleteMultipartRequest {
  streamId: string
  bucket: string
  key: string
  parts: CompletePart[]
  metadata: Uint8Array<ArrayBuffer>
}

export namespace CompleteMultipartRequest {
  let _codec: Codec<CompleteMultipartRequest>

  export const codec = (): Codec<CompleteMultipartRequest> => {
    if (_codec == null) {
      _codec = message<CompleteMultipartRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(18)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(26)
          w.string(obj.key)
        }

        if (obj.parts != null && obj.parts.length > 0) {
          for (const value of obj.parts) {
            w.uint32(34)
            CompletePart.codec().encode(value, w)
          }
        }

        if ((obj.metadata != null && obj.metadata.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.metadata)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          bucket: '',
          key: '',
          parts: [],
          metadata: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.bucket = reader.string()
              break
            }
            case 3: {
              obj.key = reader.string()
              break
            }
            case 4: {
              if (opts.limits?.parts != null && obj.parts.length === opts.limits.parts) {
                throw new MaxLengthError('Decode error - repeated field "parts" had too many elements')
              }

              obj.parts.push(CompletePart.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.parts$
              }))
              break
            }
            case 5: {
              obj.metadata = reader.bytes()
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
          parts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 4: {
              if (opts.limits?.parts != null && obj.parts === opts.limits.parts) {
                throw new MaxLengthError('Streaming decode error - repeated field "parts" had too many elements')
              }

              for (const evt of CompletePart.codec().stream(reader, reader.uint32(), `${prefix}.parts[]`, {
                limits: opts.limits?.parts$
              })) {
                yield {
                  ...evt,
                  index: obj.parts
                }
              }

              obj.parts++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.metadata`,
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

  export interface CompleteMultipartRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface CompleteMultipartRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface CompleteMultipartRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface CompleteMultipartRequestPartsNumberFieldEvent {
    field: '$.parts[].number'
    value: number
    index: number
  }

  export interface CompleteMultipartRequestPartsPartTagFieldEvent {
    field: '$.parts[].partTag'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface CompleteMultipartRequestMetadataFieldEvent {
    field: '$.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<CompleteMultipartRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CompleteMultipartRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompleteMultipartRequest>): CompleteMultipartRequest {
    return decodeMessage(buf, CompleteMultipartRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompleteMultipartRequest>): Generator<CompleteMultipartRequestStreamIdFieldEvent | CompleteMultipartRequestBucketFieldEvent | CompleteMultipartRequestKeyFieldEvent | CompleteMultipartRequestPartsNumberFieldEvent | CompleteMultipartRequestPartsPartTagFieldEvent | CompleteMultipartRequestMetadataFieldEvent> {
    return streamMessage(buf, CompleteMultipartRequest.codec(), opts)
  }
}

export interface CompleteMultipartResponse {
  object?: ObjectInfo
  already: boolean
}

export namespace CompleteMultipartResponse {
  let _codec: Codec<CompleteMultipartResponse>

  export const codec = (): Codec<CompleteMultipartResponse> => {
    if (_codec == null) {
      _codec = message<CompleteMultipartResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.object != null) {
          w.uint32(10)
          ObjectInfo.codec().encode(obj.object, w)
        }

        if ((obj.already != null && obj.already !== false)) {
          w.uint32(16)
          w.bool(obj.already)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          already: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.object = ObjectInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.object
              })
              break
            }
            case 2: {
              obj.already = reader.bool()
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
              yield * ObjectInfo.codec().stream(reader, reader.uint32(), `${prefix}.object`, {
                limits: opts.limits?.object
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.already`,
                value: reader.bool()
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

  export interface CompleteMultipartResponseObjectBucketFieldEvent {
    field: '$.object.bucket'
    value: string
  }

  export interface CompleteMultipartResponseObjectKeyFieldEvent {
    field: '$.object.key'
    value: string
  }

  export interface CompleteMultipartResponseObjectSizeFieldEvent {
    field: '$.object.size'
    value: bigint
  }

  export interface CompleteMultipartResponseObjectCreatedFieldEvent {
    field: '$.object.created'
    value: bigint
  }

  export interface CompleteMultipartResponseObjectCommittedFieldEvent {
    field: '$.object.committed'
    value: bigint
  }

  export interface CompleteMultipartResponseObjectSegmentCountFieldEvent {
    field: '$.object.segmentCount'
    value: number
  }

  export interface CompleteMultipartResponseObjectMetadataFieldEvent {
    field: '$.object.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CompleteMultipartResponseObjectEncryptionFieldEvent {
    field: '$.object.encryption'
    value: string
  }

  export interface CompleteMultipartResponseObjectExpiresFieldEvent {
    field: '$.object.expires'
    value: bigint
  }

  export interface CompleteMultipartResponseObjectEncryptedKeyFieldEvent {
    field: '$.object.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface CompleteMultipartResponseObjectPartCountFieldEvent {
    field: '$.object.partCount'
    value: number
  }

  export interface CompleteMultipartResponseAlreadyFieldEvent {
    field: '$.already'
    value: boolean
  }

  export function encode (obj: Partial<CompleteMultipartResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, CompleteMultipartResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompleteMultipartResponse>): CompleteMultipartResponse {
    return decodeMessage(buf, CompleteMultipartResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<CompleteMultipartResponse>): Generator<CompleteMultipartResponseObjectBucketFieldEvent | CompleteMultipartResponseObjectKeyFieldEvent | CompleteMultipartResponseObjectSizeFieldEvent | CompleteMultipartResponseObjectCreatedFieldEvent | CompleteMultipartResponseObjectCommittedFieldEvent | CompleteMultipartResponseObjectSegmentCountFieldEvent | CompleteMultipartResponseObjectMetadataFieldEvent | CompleteMultipartResponseObjectEncryptionFieldEvent | CompleteMultipartResponseObjectExpiresFieldEvent | CompleteMultipartResponseObjectEncryptedKeyFieldEvent | CompleteMultipartResponseObjectPartCountFieldEvent | CompleteMultipartResponseAlreadyFieldEvent> {
    return streamMessage(buf, CompleteMultipartResponse.codec(), opts)
  }
}

export interface AbortMultipartRequest {
  streamId: string
  bucket: string
  key: string
}

export namespace AbortMultipartRequest {
  let _codec: Codec<AbortMultipartRequest>

  export const codec = (): Codec<AbortMultipartRequest> => {
    if (_codec == null) {
      _codec = message<AbortMultipartRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(18)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(26)
          w.string(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          bucket: '',
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.bucket = reader.string()
              break
            }
            case 3: {
              obj.key = reader.string()
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
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.key`,
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

  export interface AbortMultipartRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface AbortMultipartRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface AbortMultipartRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export function encode (obj: Partial<AbortMultipartRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AbortMultipartRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AbortMultipartRequest>): AbortMultipartRequest {
    return decodeMessage(buf, AbortMultipartRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AbortMultipartRequest>): Generator<AbortMultipartRequestStreamIdFieldEvent | AbortMultipartRequestBucketFieldEvent | AbortMultipartRequestKeyFieldEvent> {
    return streamMessage(buf, AbortMultipartRequest.codec(), opts)
  }
}

export interface ListUploadsRequest {
  bucket: string
  prefix: string
  keyMarker: string
  uploadMarker: string
  limit: number
}

export namespace ListUploadsRequest {
  let _codec: Codec<ListUploadsRequest>

  export const codec = (): Codec<ListUploadsRequest> => {
    if (_codec == null) {
      _codec = message<ListUploadsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.prefix != null && obj.prefix !== '')) {
          w.uint32(18)
          w.string(obj.prefix)
        }

        if ((obj.keyMarker != null && obj.keyMarker !== '')) {
          w.uint32(26)
          w.string(obj.keyMarker)
        }

        if ((obj.uploadMarker != null && obj.uploadMarker !== '')) {
          w.uint32(34)
          w.string(obj.uploadMarker)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(40)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          prefix: '',
          keyMarker: '',
          uploadMarker: '',
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.prefix = reader.string()
              break
            }
            case 3: {
              obj.keyMarker = reader.string()
              break
            }
            case 4: {
              obj.uploadMarker = reader.string()
              break
            }
            case 5: {
              obj.limit = reader.uint32()
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
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.prefix`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.keyMarker`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.uploadMarker`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
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

  export interface ListUploadsRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface ListUploadsRequestPrefixFieldEvent {
    field: '$.prefix'
    value: string
  }

  export interface ListUploadsRequestKeyMarkerFieldEvent {
    field: '$.keyMarker'
    value: string
  }

  export interface ListUploadsRequestUploadMarkerFieldEvent {
    field: '$.uploadMarker'
    value: string
  }

  export interface ListUploadsRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<ListUploadsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListUploadsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListUploadsRequest>): ListUploadsRequest {
    return decodeMessage(buf, ListUploadsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListUploadsRequest>): Generator<ListUploadsRequestBucketFieldEvent | ListUploadsRequestPrefixFieldEvent | ListUploadsRequestKeyMarkerFieldEvent | ListUploadsRequestUploadMarkerFieldEvent | ListUploadsRequestLimitFieldEvent> {
    return streamMessage(buf, ListUploadsRequest.codec(), opts)
  }
}

export interface UploadInfo {
  key: string
  streamId: string
  created: bigint
}

export namespace UploadInfo {
  let _codec: Codec<UploadInfo>

  export const codec = (): Codec<UploadInfo> => {
    if (_codec == null) {
      _codec = message<UploadInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(18)
          w.string(obj.streamId)
        }

        if ((obj.created != null && obj.created !== 0n)) {
          w.uint32(24)
          w.uint64(obj.created)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          streamId: '',
          created: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.streamId = reader.string()
              break
            }
            case 3: {
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
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 3: {
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

  export interface UploadInfoKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface UploadInfoStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface UploadInfoCreatedFieldEvent {
    field: '$.created'
    value: bigint
  }

  export function encode (obj: Partial<UploadInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, UploadInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadInfo>): UploadInfo {
    return decodeMessage(buf, UploadInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<UploadInfo>): Generator<UploadInfoKeyFieldEvent | UploadInfoStreamIdFieldEvent | UploadInfoCreatedFieldEvent> {
    return streamMessage(buf, UploadInfo.codec(), opts)
  }
}

export interface ListUploadsResponse {
  uploads: UploadInfo[]
  more: boolean
}

export namespace ListUploadsResponse {
  let _codec: Codec<ListUploadsResponse>

  export const codec = (): Codec<ListUploadsResponse> => {
    if (_codec == null) {
      _codec = message<ListUploadsResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.uploads != null && obj.uploads.length > 0) {
          for (const value of obj.uploads) {
            w.uint32(10)
            UploadInfo.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(16)
          w.bool(obj.more)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          uploads: [],
          more: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.uploads != null && obj.uploads.length === opts.limits.uploads) {
                throw new MaxLengthError('Decode error - repeated field "uploads" had too many elements')
              }

              obj.uploads.push(UploadInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.uploads$
              }))
              break
            }
            case 2: {
              obj.more = reader.bool()
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
          uploads: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.uploads != null && obj.uploads === opts.limits.uploads) {
                throw new MaxLengthError('Streaming decode error - repeated field "uploads" had too many elements')
              }

              for (const evt of UploadInfo.codec().stream(reader, reader.uint32(), `${prefix}.uploads[]`, {
                limits: opts.limits?.uploads$
              })) {
                yield {
                  ...evt,
                  index: obj.uploads
                }
              }

              obj.uploads++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
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

  export interface ListUploadsResponseUploadsKeyFieldEvent {
    field: '$.uploads[].key'
    value: string
    index: number
  }

  export interface ListUploadsResponseUploadsStreamIdFieldEvent {
    field: '$.uploads[].streamId'
    value: string
    index: number
  }

  export interface ListUploadsResponseUploadsCreatedFieldEvent {
    field: '$.uploads[].created'
    value: bigint
    index: number
  }

  export interface ListUploadsResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export function encode (obj: Partial<ListUploadsResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListUploadsResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListUploadsResponse>): ListUploadsResponse {
    return decodeMessage(buf, ListUploadsResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListUploadsResponse>): Generator<ListUploadsResponseUploadsKeyFieldEvent | ListUploadsResponseUploadsStreamIdFieldEvent | ListUploadsResponseUploadsCreatedFieldEvent | ListUploadsResponseMoreFieldEvent> {
    return streamMessage(buf, ListUploadsResponse.codec(), opts)
  }
}

export interface ListObjectsRequest {
  bucket: string
  prefix: string
  delimiter: string
  cursor: string
  limit: number
}

export namespace ListObjectsRequest {
  let _codec: Codec<ListObjectsRequest>

  export const codec = (): Codec<ListObjectsRequest> => {
    if (_codec == null) {
      _codec = message<ListObjectsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.prefix != null && obj.prefix !== '')) {
          w.uint32(18)
          w.string(obj.prefix)
        }

        if ((obj.delimiter != null && obj.delimiter !== '')) {
          w.uint32(26)
          w.string(obj.delimiter)
        }

        if ((obj.cursor != null && obj.cursor !== '')) {
          w.uint32(34)
          w.string(obj.cursor)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(40)
          w.uint32(obj.limit)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          prefix: '',
          delimiter: '',
          cursor: '',
          limit: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.prefix = reader.string()
              break
            }
            case 3: {
              obj.delimiter = reader.string()
              break
            }
            case 4: {
              obj.cursor = reader.string()
              break
            }
            case 5: {
              obj.limit = reader.uint32()
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
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.prefix`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.delimiter`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.cursor`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
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

  export interface ListObjectsRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface ListObjectsRequestPrefixFieldEvent {
    field: '$.prefix'
    value: string
  }

  export interface ListObjectsRequestDelimiterFieldEvent {
    field: '$.delimiter'
    value: string
  }

  export interface ListObjectsRequestCursorFieldEvent {
    field: '$.cursor'
    value: string
  }

  export interface ListObjectsRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export function encode (obj: Partial<ListObjectsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListObjectsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListObjectsRequest>): ListObjectsRequest {
    return decodeMessage(buf, ListObjectsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListObjectsRequest>): Generator<ListObjectsRequestBucketFieldEvent | ListObjectsRequestPrefixFieldEvent | ListObjectsRequestDelimiterFieldEvent | ListObjectsRequestCursorFieldEvent | ListObjectsRequestLimitFieldEvent> {
    return streamMessage(buf, ListObjectsRequest.codec(), opts)
  }
}

export interface ListObjectsResponse {
  objects: ObjectInfo[]
  prefixes: string[]
  nextCursor: string
}

export namespace ListObjectsResponse {
  let _codec: Codec<ListObjectsResponse>

  export const codec = (): Codec<ListObjectsResponse> => {
    if (_codec == null) {
      _codec = message<ListObjectsResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.objects != null && obj.objects.length > 0) {
          for (const value of obj.objects) {
            w.uint32(10)
            ObjectInfo.codec().encode(value, w)
          }
        }

        if (obj.prefixes != null && obj.prefixes.length > 0) {
          for (const value of obj.prefixes) {
            w.uint32(18)
            w.string(value)
          }
        }

        if ((obj.nextCursor != null && obj.nextCursor !== '')) {
          w.uint32(26)
          w.string(obj.nextCursor)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          objects: [],
          prefixes: [],
          nextCursor: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.objects != null && obj.objects.length === opts.limits.objects) {
                throw new MaxLengthError('Decode error - repeated field "objects" had too many elements')
              }

              obj.objects.push(ObjectInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.objects$
              }))
              break
            }
            case 2: {
              if (opts.limits?.prefixes != null && obj.prefixes.length === opts.limits.prefixes) {
                throw new MaxLengthError('Decode error - repeated field "prefixes" had too many elements')
              }

              obj.prefixes.push(reader.string())
              break
            }
            case 3: {
              obj.nextCursor = reader.string()
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
          objects: 0,
          prefixes: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.objects != null && obj.objects === opts.limits.objects) {
                throw new MaxLengthError('Streaming decode error - repeated field "objects" had too many elements')
              }

              for (const evt of ObjectInfo.codec().stream(reader, reader.uint32(), `${prefix}.objects[]`, {
                limits: opts.limits?.objects$
              })) {
                yield {
                  ...evt,
                  index: obj.objects
                }
              }

              obj.objects++

              break
            }
            case 2: {
              if (opts.limits?.prefixes != null && obj.prefixes === opts.limits.prefixes) {
                throw new MaxLengthError('Streaming decode error - repeated field "prefixes" had too many elements')
              }

              yield {
                field: `${prefix}.prefixes[]`,
                index: obj.prefixes,
                value: reader.string()
              }

              obj.prefixes++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.nextCursor`,
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

  export interface ListObjectsResponseObjectsBucketFieldEvent {
    field: '$.objects[].bucket'
    value: string
    index: number
  }

  export interface ListObjectsResponseObjectsKeyFieldEvent {
    field: '$.objects[].key'
    value: string
    index: number
  }

  export interface ListObjectsResponseObjectsSizeFieldEvent {
    field: '$.objects[].size'
    value: bigint
    index: number
  }

  export interface ListObjectsResponseObjectsCreatedFieldEvent {
    field: '$.objects[].created'
    value: bigint
    index: number
  }

  export interface ListObjectsResponseObjectsCommittedFieldEvent {
    field: '$.objects[].committed'
    value: bigint
    index: number
  }

  export interface ListObjectsResponseObjectsSegmentCountFieldEvent {
    field: '$.objects[].segmentCount'
    value: number
    index: number
  }

  export interface ListObjectsResponseObjectsMetadataFieldEvent {
    field: '$.objects[].metadata'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ListObjectsResponseObjectsEncryptionFieldEvent {
    field: '$.objects[].encryption'
    value: string
    index: number
  }

  export interface ListObjectsResponseObjectsExpiresFieldEvent {
    field: '$.objects[].expires'
    value: bigint
    index: number
  }

  export interface ListObjectsResponseObjectsEncryptedKeyFieldEvent {
    field: '$.objects[].encryptedKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface ListObjectsResponseObjectsPartCountFieldEvent {
    field: '$.objects[].partCount'
    value: number
    index: number
  }

  export interface ListObjectsResponsePrefixesFieldEvent {
    field: '$.prefixes[]'
    index: number
    value: string
  }

  export interface ListObjectsResponseNextCursorFieldEvent {
    field: '$.nextCursor'
    value: string
  }

  export function encode (obj: Partial<ListObjectsResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ListObjectsResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListObjectsResponse>): ListObjectsResponse {
    return decodeMessage(buf, ListObjectsResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ListObjectsResponse>): Generator<ListObjectsResponseObjectsBucketFieldEvent | ListObjectsResponseObjectsKeyFieldEvent | ListObjectsResponseObjectsSizeFieldEvent | ListObjectsResponseObjectsCreatedFieldEvent | ListObjectsResponseObjectsCommittedFieldEvent | ListObjectsResponseObjectsSegmentCountFieldEvent | ListObjectsResponseObjectsMetadataFieldEvent | ListObjectsResponseObjectsEncryptionFieldEvent | ListObjectsResponseObjectsExpiresFieldEvent | ListObjectsResponseObjectsEncryptedKeyFieldEvent | ListObjectsResponseObjectsPartCountFieldEvent | ListObjectsResponsePrefixesFieldEvent | ListObjectsResponseNextCursorFieldEvent> {
    return streamMessage(buf, ListObjectsResponse.codec(), opts)
  }
}

export interface DeleteObjectRequest {
  bucket: string
  key: string
}

export namespace DeleteObjectRequest {
  let _codec: Codec<DeleteObjectRequest>

  export const codec = (): Codec<DeleteObjectRequest> => {
    if (_codec == null) {
      _codec = message<DeleteObjectRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(18)
          w.string(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.key = reader.string()
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
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.key`,
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

  export interface DeleteObjectRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface DeleteObjectRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export function encode (obj: Partial<DeleteObjectRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DeleteObjectRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteObjectRequest>): DeleteObjectRequest {
    return decodeMessage(buf, DeleteObjectRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DeleteObjectRequest>): Generator<DeleteObjectRequestBucketFieldEvent | DeleteObjectRequestKeyFieldEvent> {
    return streamMessage(buf, DeleteObjectRequest.codec(), opts)
  }
}

export interface ReplacementOrdersRequest {
  streamId: string
  index: number
  pieceNumbers: number[]
}

export namespace ReplacementOrdersRequest {
  let _codec: Codec<ReplacementOrdersRequest>

  export const codec = (): Codec<ReplacementOrdersRequest> => {
    if (_codec == null) {
      _codec = message<ReplacementOrdersRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.streamId != null && obj.streamId !== '')) {
          w.uint32(10)
          w.string(obj.streamId)
        }

        if ((obj.index != null && obj.index !== 0)) {
          w.uint32(16)
          w.uint32(obj.index)
        }

        if (obj.pieceNumbers != null && obj.pieceNumbers.length > 0) {
          for (const value of obj.pieceNumbers) {
            w.uint32(24)
            w.uint32(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          streamId: '',
          index: 0,
          pieceNumbers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.streamId = reader.string()
              break
            }
            case 2: {
              obj.index = reader.uint32()
              break
            }
            case 3: {
              if (opts.limits?.pieceNumbers != null && obj.pieceNumbers.length === opts.limits.pieceNumbers) {
                throw new MaxLengthError('Decode error - repeated field "pieceNumbers" had too many elements')
              }

              obj.pieceNumbers.push(reader.uint32())
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
          pieceNumbers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.streamId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.index`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              if (opts.limits?.pieceNumbers != null && obj.pieceNumbers === opts.limits.pieceNumbers) {
                throw new MaxLengthError('Streaming decode error - repeated field "pieceNumbers" had too many elements')
              }

              yield {
                field: `${prefix}.pieceNumbers[]`,
                index: obj.pieceNumbers,
                value: reader.uint32()
              }

              obj.pieceNumbers++

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

  export interface ReplacementOrdersRequestStreamIdFieldEvent {
    field: '$.streamId'
    value: string
  }

  export interface ReplacementOrdersRequestIndexFieldEvent {
    field: '$.index'
    value: number
  }

  export interface ReplacementOrdersRequestPieceNumbersFieldEvent {
    field: '$.pieceNumbers[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<ReplacementOrdersRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReplacementOrdersRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplacementOrdersRequest>): ReplacementOrdersRequest {
    return decodeMessage(buf, ReplacementOrdersRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReplacementOrdersRequest>): Generator<ReplacementOrdersRequestStreamIdFieldEvent | ReplacementOrdersRequestIndexFieldEvent | ReplacementOrdersRequestPieceNumbersFieldEvent> {
    return streamMessage(buf, ReplacementOrdersRequest.codec(), opts)
  }
}

export interface ReportPiecesRequest {
  bucket: string
  key: string
  segment: number
  nodeIds: string[]
  reason: string
}

export namespace ReportPiecesRequest {
  let _codec: Codec<ReportPiecesRequest>

  export const codec = (): Codec<ReportPiecesRequest> => {
    if (_codec == null) {
      _codec = message<ReportPiecesRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.bucket != null && obj.bucket !== '')) {
          w.uint32(10)
          w.string(obj.bucket)
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(18)
          w.string(obj.key)
        }

        if ((obj.segment != null && obj.segment !== 0)) {
          w.uint32(24)
          w.uint32(obj.segment)
        }

        if (obj.nodeIds != null && obj.nodeIds.length > 0) {
          for (const value of obj.nodeIds) {
            w.uint32(34)
            w.string(value)
          }
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(42)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          bucket: '',
          key: '',
          segment: 0,
          nodeIds: [],
          reason: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.bucket = reader.string()
              break
            }
            case 2: {
              obj.key = reader.string()
              break
            }
            case 3: {
              obj.segment = reader.uint32()
              break
            }
            case 4: {
              if (opts.limits?.nodeIds != null && obj.nodeIds.length === opts.limits.nodeIds) {
                throw new MaxLengthError('Decode error - repeated field "nodeIds" had too many elements')
              }

              obj.nodeIds.push(reader.string())
              break
            }
            case 5: {
              obj.reason = reader.string()
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
          nodeIds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.bucket`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.segment`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              if (opts.limits?.nodeIds != null && obj.nodeIds === opts.limits.nodeIds) {
                throw new MaxLengthError('Streaming decode error - repeated field "nodeIds" had too many elements')
              }

              yield {
                field: `${prefix}.nodeIds[]`,
                index: obj.nodeIds,
                value: reader.string()
              }

              obj.nodeIds++

              break
            }
            case 5: {
              yield {
                field: `${prefix}.reason`,
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

  export interface ReportPiecesRequestBucketFieldEvent {
    field: '$.bucket'
    value: string
  }

  export interface ReportPiecesRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface ReportPiecesRequestSegmentFieldEvent {
    field: '$.segment'
    value: number
  }

  export interface ReportPiecesRequestNodeIdsFieldEvent {
    field: '$.nodeIds[]'
    index: number
    value: string
  }

  export interface ReportPiecesRequestReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<ReportPiecesRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ReportPiecesRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReportPiecesRequest>): ReportPiecesRequest {
    return decodeMessage(buf, ReportPiecesRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ReportPiecesRequest>): Generator<ReportPiecesRequestBucketFieldEvent | ReportPiecesRequestKeyFieldEvent | ReportPiecesRequestSegmentFieldEvent | ReportPiecesRequestNodeIdsFieldEvent | ReportPiecesRequestReasonFieldEvent> {
    return streamMessage(buf, ReportPiecesRequest.codec(), opts)
  }
}

export interface MetainfoRequest {
  apiKey: string
  createBucket?: CreateBucketRequest
  listBuckets?: ListBucketsRequest
  deleteBucket?: DeleteBucketRequest
  beginObject?: BeginObjectRequest
  beginSegment?: BeginSegmentRequest
  commitSegment?: CommitSegmentRequest
  commitInlineSegment?: CommitInlineSegmentRequest
  commitObject?: CommitObjectRequest
  getObject?: GetObjectRequest
  listObjects?: ListObjectsRequest
  deleteObject?: DeleteObjectRequest
  replacementOrders?: ReplacementOrdersRequest
  reportPieces?: ReportPiecesRequest
  beginPart?: BeginPartRequest
  commitPart?: CommitPartRequest
  listParts?: ListPartsRequest
  completeMultipart?: CompleteMultipartRequest
  abortMultipart?: AbortMultipartRequest
  listUploads?: ListUploadsRequest
}

export namespace MetainfoRequest {
  let _codec: Codec<MetainfoRequest>

  export const codec = (): Codec<MetainfoRequest> => {
    if (_codec == null) {
      _codec = message<MetainfoRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.apiKey != null && obj.apiKey !== '')) {
          w.uint32(10)
          w.string(obj.apiKey)
        }

        if (obj.createBucket != null) {
          w.uint32(18)
          CreateBucketRequest.codec().encode(obj.createBucket, w)
        }

        if (obj.listBuckets != null) {
          w.uint32(26)
          ListBucketsRequest.codec().encode(obj.listBuckets, w)
        }

        if (obj.deleteBucket != null) {
          w.uint32(34)
          DeleteBucketRequest.codec().encode(obj.deleteBucket, w)
        }

        if (obj.beginObject != null) {
          w.uint32(42)
          BeginObjectRequest.codec().encode(obj.beginObject, w)
        }

        if (obj.beginSegment != null) {
          w.uint32(50)
          BeginSegmentRequest.codec().encode(obj.beginSegment, w)
        }

        if (obj.commitSegment != null) {
          w.uint32(58)
          CommitSegmentRequest.codec().encode(obj.commitSegment, w)
        }

        if (obj.commitInlineSegment != null) {
          w.uint32(66)
          CommitInlineSegmentRequest.codec().encode(obj.commitInlineSegment, w)
        }

        if (obj.commitObject != null) {
          w.uint32(74)
          CommitObjectRequest.codec().encode(obj.commitObject, w)
        }

        if (obj.getObject != null) {
          w.uint32(82)
          GetObjectRequest.codec().encode(obj.getObject, w)
        }

        if (obj.listObjects != null) {
          w.uint32(90)
          ListObjectsRequest.codec().encode(obj.listObjects, w)
        }

        if (obj.deleteObject != null) {
          w.uint32(98)
          DeleteObjectRequest.codec().encode(obj.deleteObject, w)
        }

        if (obj.replacementOrders != null) {
          w.uint32(106)
          ReplacementOrdersRequest.codec().encode(obj.replacementOrders, w)
        }

        if (obj.reportPieces != null) {
          w.uint32(114)
          ReportPiecesRequest.codec().encode(obj.reportPieces, w)
        }

        if (obj.beginPart != null) {
          w.uint32(122)
          BeginPartRequest.codec().encode(obj.beginPart, w)
        }

        if (obj.commitPart != null) {
          w.uint32(130)
          CommitPartRequest.codec().encode(obj.commitPart, w)
        }

        if (obj.listParts != null) {
          w.uint32(138)
          ListPartsRequest.codec().encode(obj.listParts, w)
        }

        if (obj.completeMultipart != null) {
          w.uint32(146)
          CompleteMultipartRequest.codec().encode(obj.completeMultipart, w)
        }

        if (obj.abortMultipart != null) {
          w.uint32(154)
          AbortMultipartRequest.codec().encode(obj.abortMultipart, w)
        }

        if (obj.listUploads != null) {
          w.uint32(162)
          ListUploadsRequest.codec().encode(obj.listUploads, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          apiKey: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.apiKey = reader.string()
              break
            }
            case 2: {
              obj.createBucket = CreateBucketRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.createBucket
              })
              break
            }
            case 3: {
              obj.listBuckets = ListBucketsRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listBuckets
              })
              break
            }
            case 4: {
              obj.deleteBucket = DeleteBucketRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deleteBucket
              })
              break
            }
            case 5: {
              obj.beginObject = BeginObjectRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beginObject
              })
              break
            }
            case 6: {
              obj.beginSegment = BeginSegmentRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beginSegment
              })
              break
            }
            case 7: {
              obj.commitSegment = CommitSegmentRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commitSegment
              })
              break
            }
            case 8: {
              obj.commitInlineSegment = CommitInlineSegmentRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commitInlineSegment
              })
              break
            }
            case 9: {
              obj.commitObject = CommitObjectRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commitObject
              })
              break
            }
            case 10: {
              obj.getObject = GetObjectRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getObject
              })
              break
            }
            case 11: {
              obj.listObjects = ListObjectsRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listObjects
              })
              break
            }
            case 12: {
              obj.deleteObject = DeleteObjectRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.deleteObject
              })
              break
            }
            case 13: {
              obj.replacementOrders = ReplacementOrdersRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.replacementOrders
              })
              break
            }
            case 14: {
              obj.reportPieces = ReportPiecesRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.reportPieces
              })
              break
            }
            case 15: {
              obj.beginPart = BeginPartRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beginPart
              })
              break
            }
            case 16: {
              obj.commitPart = CommitPartRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commitPart
              })
              break
            }
            case 17: {
              obj.listParts = ListPartsRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listParts
              })
              break
            }
            case 18: {
              obj.completeMultipart = CompleteMultipartRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.completeMultipart
              })
              break
            }
            case 19: {
              obj.abortMultipart = AbortMultipartRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.abortMultipart
              })
              break
            }
            case 20: {
              obj.listUploads = ListUploadsRequest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listUploads
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
                field: `${prefix}.apiKey`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield * CreateBucketRequest.codec().stream(reader, reader.uint32(), `${prefix}.createBucket`, {
                limits: opts.limits?.createBucket
              })

              break
            }
            case 3: {
              yield * ListBucketsRequest.codec().stream(reader, reader.uint32(), `${prefix}.listBuckets`, {
                limits: opts.limits?.listBuckets
              })

              break
            }
            case 4: {
              yield * DeleteBucketRequest.codec().stream(reader, reader.uint32(), `${prefix}.deleteBucket`, {
                limits: opts.limits?.deleteBucket
              })

              break
            }
            case 5: {
              yield * BeginObjectRequest.codec().stream(reader, reader.uint32(), `${prefix}.beginObject`, {
                limits: opts.limits?.beginObject
              })

              break
            }
            case 6: {
              yield * BeginSegmentRequest.codec().stream(reader, reader.uint32(), `${prefix}.beginSegment`, {
                limits: opts.limits?.beginSegment
              })

              break
            }
            case 7: {
              yield * CommitSegmentRequest.codec().stream(reader, reader.uint32(), `${prefix}.commitSegment`, {
                limits: opts.limits?.commitSegment
              })

              break
            }
            case 8: {
              yield * CommitInlineSegmentRequest.codec().stream(reader, reader.uint32(), `${prefix}.commitInlineSegment`, {
                limits: opts.limits?.commitInlineSegment
              })

              break
            }
            case 9: {
              yield * CommitObjectRequest.codec().stream(reader, reader.uint32(), `${prefix}.commitObject`, {
                limits: opts.limits?.commitObject
              })

              break
            }
            case 10: {
              yield * GetObjectRequest.codec().stream(reader, reader.uint32(), `${prefix}.getObject`, {
                limits: opts.limits?.getObject
              })

              break
            }
            case 11: {
              yield * ListObjectsRequest.codec().stream(reader, reader.uint32(), `${prefix}.listObjects`, {
                limits: opts.limits?.listObjects
              })

              break
            }
            case 12: {
              yield * DeleteObjectRequest.codec().stream(reader, reader.uint32(), `${prefix}.deleteObject`, {
                limits: opts.limits?.deleteObject
              })

              break
            }
            case 13: {
              yield * ReplacementOrdersRequest.codec().stream(reader, reader.uint32(), `${prefix}.replacementOrders`, {
                limits: opts.limits?.replacementOrders
              })

              break
            }
            case 14: {
              yield * ReportPiecesRequest.codec().stream(reader, reader.uint32(), `${prefix}.reportPieces`, {
                limits: opts.limits?.reportPieces
              })

              break
            }
            case 15: {
              yield * BeginPartRequest.codec().stream(reader, reader.uint32(), `${prefix}.beginPart`, {
                limits: opts.limits?.beginPart
              })

              break
            }
            case 16: {
              yield * CommitPartRequest.codec().stream(reader, reader.uint32(), `${prefix}.commitPart`, {
                limits: opts.limits?.commitPart
              })

              break
            }
            case 17: {
              yield * ListPartsRequest.codec().stream(reader, reader.uint32(), `${prefix}.listParts`, {
                limits: opts.limits?.listParts
              })

              break
            }
            case 18: {
              yield * CompleteMultipartRequest.codec().stream(reader, reader.uint32(), `${prefix}.completeMultipart`, {
                limits: opts.limits?.completeMultipart
              })

              break
            }
            case 19: {
              yield * AbortMultipartRequest.codec().stream(reader, reader.uint32(), `${prefix}.abortMultipart`, {
                limits: opts.limits?.abortMultipart
              })

              break
            }
            case 20: {
              yield * ListUploadsRequest.codec().stream(reader, reader.uint32(), `${prefix}.listUploads`, {
                limits: opts.limits?.listUploads
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

  export interface MetainfoRequestApiKeyFieldEvent {
    field: '$.apiKey'
    value: string
  }

  export interface MetainfoRequestCreateBucketNameFieldEvent {
    field: '$.createBucket.name'
    value: string
  }

  export interface MetainfoRequestDeleteBucketNameFieldEvent {
    field: '$.deleteBucket.name'
    value: string
  }

  export interface MetainfoRequestBeginObjectBucketFieldEvent {
    field: '$.beginObject.bucket'
    value: string
  }

  export interface MetainfoRequestBeginObjectKeyFieldEvent {
    field: '$.beginObject.key'
    value: string
  }

  export interface MetainfoRequestBeginObjectMetadataFieldEvent {
    field: '$.beginObject.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestBeginObjectEncryptionFieldEvent {
    field: '$.beginObject.encryption'
    value: string
  }

  export interface MetainfoRequestBeginObjectExpiresFieldEvent {
    field: '$.beginObject.expires'
    value: bigint
  }

  export interface MetainfoRequestBeginObjectEncryptedKeyFieldEvent {
    field: '$.beginObject.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestBeginObjectMultipartFieldEvent {
    field: '$.beginObject.multipart'
    value: boolean
  }

  export interface MetainfoRequestBeginSegmentStreamIdFieldEvent {
    field: '$.beginSegment.streamId'
    value: string
  }

  export interface MetainfoRequestBeginSegmentIndexFieldEvent {
    field: '$.beginSegment.index'
    value: number
  }

  export interface MetainfoRequestBeginSegmentPieceSizeFieldEvent {
    field: '$.beginSegment.pieceSize'
    value: bigint
  }

  export interface MetainfoRequestCommitSegmentStreamIdFieldEvent {
    field: '$.commitSegment.streamId'
    value: string
  }

  export interface MetainfoRequestCommitSegmentIndexFieldEvent {
    field: '$.commitSegment.index'
    value: number
  }

  export interface MetainfoRequestCommitSegmentPlainSizeFieldEvent {
    field: '$.commitSegment.plainSize'
    value: bigint
  }

  export interface MetainfoRequestCommitSegmentReceiptsReceiptFieldEvent {
    field: '$.commitSegment.receipts[].receipt'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoRequestCommitSegmentReceiptsSignatureFieldEvent {
    field: '$.commitSegment.receipts[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoRequestCommitSegmentPieceHashesHashFieldEvent {
    field: '$.commitSegment.pieceHashes[].hash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoRequestCommitSegmentPieceHashesSignatureFieldEvent {
    field: '$.commitSegment.pieceHashes[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoRequestCommitInlineSegmentStreamIdFieldEvent {
    field: '$.commitInlineSegment.streamId'
    value: string
  }

  export interface MetainfoRequestCommitInlineSegmentIndexFieldEvent {
    field: '$.commitInlineSegment.index'
    value: number
  }

  export interface MetainfoRequestCommitInlineSegmentPlainSizeFieldEvent {
    field: '$.commitInlineSegment.plainSize'
    value: bigint
  }

  export interface MetainfoRequestCommitInlineSegmentDataFieldEvent {
    field: '$.commitInlineSegment.data'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestCommitObjectStreamIdFieldEvent {
    field: '$.commitObject.streamId'
    value: string
  }

  export interface MetainfoRequestCommitObjectMetadataFieldEvent {
    field: '$.commitObject.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestGetObjectBucketFieldEvent {
    field: '$.getObject.bucket'
    value: string
  }

  export interface MetainfoRequestGetObjectKeyFieldEvent {
    field: '$.getObject.key'
    value: string
  }

  export interface MetainfoRequestGetObjectFirstSegmentFieldEvent {
    field: '$.getObject.firstSegment'
    value: number
  }

  export interface MetainfoRequestGetObjectOffsetFieldEvent {
    field: '$.getObject.offset'
    value: bigint
  }

  export interface MetainfoRequestGetObjectSegmentLimitFieldEvent {
    field: '$.getObject.segmentLimit'
    value: number
  }

  export interface MetainfoRequestGetObjectStatOnlyFieldEvent {
    field: '$.getObject.statOnly'
    value: boolean
  }

  export interface MetainfoRequestGetObjectAllPiecesFieldEvent {
    field: '$.getObject.allPieces'
    value: boolean
  }

  export interface MetainfoRequestGetObjectPartNumberFieldEvent {
    field: '$.getObject.partNumber'
    value: number
  }

  export interface MetainfoRequestListObjectsBucketFieldEvent {
    field: '$.listObjects.bucket'
    value: string
  }

  export interface MetainfoRequestListObjectsPrefixFieldEvent {
    field: '$.listObjects.prefix'
    value: string
  }

  export interface MetainfoRequestListObjectsDelimiterFieldEvent {
    field: '$.listObjects.delimiter'
    value: string
  }

  export interface MetainfoRequestListObjectsCursorFieldEvent {
    field: '$.listObjects.cursor'
    value: string
  }

  export interface MetainfoRequestListObjectsLimitFieldEvent {
    field: '$.listObjects.limit'
    value: number
  }

  export interface MetainfoRequestDeleteObjectBucketFieldEvent {
    field: '$.deleteObject.bucket'
    value: string
  }

  export interface MetainfoRequestDeleteObjectKeyFieldEvent {
    field: '$.deleteObject.key'
    value: string
  }

  export interface MetainfoRequestReplacementOrdersStreamIdFieldEvent {
    field: '$.replacementOrders.streamId'
    value: string
  }

  export interface MetainfoRequestReplacementOrdersIndexFieldEvent {
    field: '$.replacementOrders.index'
    value: number
  }

  export interface MetainfoRequestReplacementOrdersPieceNumbersFieldEvent {
    field: '$.replacementOrders.pieceNumbers[]'
    index: number
    value: number
  }

  export interface MetainfoRequestReportPiecesBucketFieldEvent {
    field: '$.reportPieces.bucket'
    value: string
  }

  export interface MetainfoRequestReportPiecesKeyFieldEvent {
    field: '$.reportPieces.key'
    value: string
  }

  export interface MetainfoRequestReportPiecesSegmentFieldEvent {
    field: '$.reportPieces.segment'
    value: number
  }

  export interface MetainfoRequestReportPiecesNodeIdsFieldEvent {
    field: '$.reportPieces.nodeIds[]'
    index: number
    value: string
  }

  export interface MetainfoRequestReportPiecesReasonFieldEvent {
    field: '$.reportPieces.reason'
    value: string
  }

  export interface MetainfoRequestBeginPartStreamIdFieldEvent {
    field: '$.beginPart.streamId'
    value: string
  }

  export interface MetainfoRequestBeginPartPartNumberFieldEvent {
    field: '$.beginPart.partNumber'
    value: number
  }

  export interface MetainfoRequestBeginPartBucketFieldEvent {
    field: '$.beginPart.bucket'
    value: string
  }

  export interface MetainfoRequestBeginPartKeyFieldEvent {
    field: '$.beginPart.key'
    value: string
  }

  export interface MetainfoRequestCommitPartPartStreamIdFieldEvent {
    field: '$.commitPart.partStreamId'
    value: string
  }

  export interface MetainfoRequestCommitPartSaltFieldEvent {
    field: '$.commitPart.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestCommitPartInfoFieldEvent {
    field: '$.commitPart.info'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestListPartsStreamIdFieldEvent {
    field: '$.listParts.streamId'
    value: string
  }

  export interface MetainfoRequestListPartsAfterFieldEvent {
    field: '$.listParts.after'
    value: number
  }

  export interface MetainfoRequestListPartsLimitFieldEvent {
    field: '$.listParts.limit'
    value: number
  }

  export interface MetainfoRequestListPartsBucketFieldEvent {
    field: '$.listParts.bucket'
    value: string
  }

  export interface MetainfoRequestListPartsKeyFieldEvent {
    field: '$.listParts.key'
    value: string
  }

  export interface MetainfoRequestCompleteMultipartStreamIdFieldEvent {
    field: '$.completeMultipart.streamId'
    value: string
  }

  export interface MetainfoRequestCompleteMultipartBucketFieldEvent {
    field: '$.completeMultipart.bucket'
    value: string
  }

  export interface MetainfoRequestCompleteMultipartKeyFieldEvent {
    field: '$.completeMultipart.key'
    value: string
  }

  export interface MetainfoRequestCompleteMultipartPartsNumberFieldEvent {
    field: '$.completeMultipart.parts[].number'
    value: number
    index: number
  }

  export interface MetainfoRequestCompleteMultipartPartsPartTagFieldEvent {
    field: '$.completeMultipart.parts[].partTag'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoRequestCompleteMultipartMetadataFieldEvent {
    field: '$.completeMultipart.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoRequestAbortMultipartStreamIdFieldEvent {
    field: '$.abortMultipart.streamId'
    value: string
  }

  export interface MetainfoRequestAbortMultipartBucketFieldEvent {
    field: '$.abortMultipart.bucket'
    value: string
  }

  export interface MetainfoRequestAbortMultipartKeyFieldEvent {
    field: '$.abortMultipart.key'
    value: string
  }

  export interface MetainfoRequestListUploadsBucketFieldEvent {
    field: '$.listUploads.bucket'
    value: string
  }

  export interface MetainfoRequestListUploadsPrefixFieldEvent {
    field: '$.listUploads.prefix'
    value: string
  }

  export interface MetainfoRequestListUploadsKeyMarkerFieldEvent {
    field: '$.listUploads.keyMarker'
    value: string
  }

  export interface MetainfoRequestListUploadsUploadMarkerFieldEvent {
    field: '$.listUploads.uploadMarker'
    value: string
  }

  export interface MetainfoRequestListUploadsLimitFieldEvent {
    field: '$.listUploads.limit'
    value: number
  }

  export function encode (obj: Partial<MetainfoRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MetainfoRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MetainfoRequest>): MetainfoRequest {
    return decodeMessage(buf, MetainfoRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MetainfoRequest>): Generator<MetainfoRequestApiKeyFieldEvent | MetainfoRequestCreateBucketNameFieldEvent | MetainfoRequestDeleteBucketNameFieldEvent | MetainfoRequestBeginObjectBucketFieldEvent | MetainfoRequestBeginObjectKeyFieldEvent | MetainfoRequestBeginObjectMetadataFieldEvent | MetainfoRequestBeginObjectEncryptionFieldEvent | MetainfoRequestBeginObjectExpiresFieldEvent | MetainfoRequestBeginObjectEncryptedKeyFieldEvent | MetainfoRequestBeginObjectMultipartFieldEvent | MetainfoRequestBeginSegmentStreamIdFieldEvent | MetainfoRequestBeginSegmentIndexFieldEvent | MetainfoRequestBeginSegmentPieceSizeFieldEvent | MetainfoRequestCommitSegmentStreamIdFieldEvent | MetainfoRequestCommitSegmentIndexFieldEvent | MetainfoRequestCommitSegmentPlainSizeFieldEvent | MetainfoRequestCommitSegmentReceiptsReceiptFieldEvent | MetainfoRequestCommitSegmentReceiptsSignatureFieldEvent | MetainfoRequestCommitSegmentPieceHashesHashFieldEvent | MetainfoRequestCommitSegmentPieceHashesSignatureFieldEvent | MetainfoRequestCommitInlineSegmentStreamIdFieldEvent | MetainfoRequestCommitInlineSegmentIndexFieldEvent | MetainfoRequestCommitInlineSegmentPlainSizeFieldEvent | MetainfoRequestCommitInlineSegmentDataFieldEvent | MetainfoRequestCommitObjectStreamIdFieldEvent | MetainfoRequestCommitObjectMetadataFieldEvent | MetainfoRequestGetObjectBucketFieldEvent | MetainfoRequestGetObjectKeyFieldEvent | MetainfoRequestGetObjectFirstSegmentFieldEvent | MetainfoRequestGetObjectOffsetFieldEvent | MetainfoRequestGetObjectSegmentLimitFieldEvent | MetainfoRequestGetObjectStatOnlyFieldEvent | MetainfoRequestGetObjectAllPiecesFieldEvent | MetainfoRequestGetObjectPartNumberFieldEvent | MetainfoRequestListObjectsBucketFieldEvent | MetainfoRequestListObjectsPrefixFieldEvent | MetainfoRequestListObjectsDelimiterFieldEvent | MetainfoRequestListObjectsCursorFieldEvent | MetainfoRequestListObjectsLimitFieldEvent | MetainfoRequestDeleteObjectBucketFieldEvent | MetainfoRequestDeleteObjectKeyFieldEvent | MetainfoRequestReplacementOrdersStreamIdFieldEvent | MetainfoRequestReplacementOrdersIndexFieldEvent | MetainfoRequestReplacementOrdersPieceNumbersFieldEvent | MetainfoRequestReportPiecesBucketFieldEvent | MetainfoRequestReportPiecesKeyFieldEvent | MetainfoRequestReportPiecesSegmentFieldEvent | MetainfoRequestReportPiecesNodeIdsFieldEvent | MetainfoRequestReportPiecesReasonFieldEvent | MetainfoRequestBeginPartStreamIdFieldEvent | MetainfoRequestBeginPartPartNumberFieldEvent | MetainfoRequestBeginPartBucketFieldEvent | MetainfoRequestBeginPartKeyFieldEvent | MetainfoRequestCommitPartPartStreamIdFieldEvent | MetainfoRequestCommitPartSaltFieldEvent | MetainfoRequestCommitPartInfoFieldEvent | MetainfoRequestListPartsStreamIdFieldEvent | MetainfoRequestListPartsAfterFieldEvent | MetainfoRequestListPartsLimitFieldEvent | MetainfoRequestListPartsBucketFieldEvent | MetainfoRequestListPartsKeyFieldEvent | MetainfoRequestCompleteMultipartStreamIdFieldEvent | MetainfoRequestCompleteMultipartBucketFieldEvent | MetainfoRequestCompleteMultipartKeyFieldEvent | MetainfoRequestCompleteMultipartPartsNumberFieldEvent | MetainfoRequestCompleteMultipartPartsPartTagFieldEvent | MetainfoRequestCompleteMultipartMetadataFieldEvent | MetainfoRequestAbortMultipartStreamIdFieldEvent | MetainfoRequestAbortMultipartBucketFieldEvent | MetainfoRequestAbortMultipartKeyFieldEvent | MetainfoRequestListUploadsBucketFieldEvent | MetainfoRequestListUploadsPrefixFieldEvent | MetainfoRequestListUploadsKeyMarkerFieldEvent | MetainfoRequestListUploadsUploadMarkerFieldEvent | MetainfoRequestListUploadsLimitFieldEvent> {
    return streamMessage(buf, MetainfoRequest.codec(), opts)
  }
}

export interface MetainfoResponse {
  error?: ContactError
  listBuckets?: ListBucketsResponse
  beginObject?: BeginObjectResponse
  beginSegment?: BeginSegmentResponse
  commitObject?: CommitObjectResponse
  getObject?: GetObjectResponse
  listObjects?: ListObjectsResponse
  replacementOrders?: BeginSegmentResponse
  beginPart?: BeginPartResponse
  commitPart?: CommitPartResponse
  listParts?: ListPartsResponse
  completeMultipart?: CompleteMultipartResponse
  listUploads?: ListUploadsResponse
}

export namespace MetainfoResponse {
  let _codec: Codec<MetainfoResponse>

  export const codec = (): Codec<MetainfoResponse> => {
    if (_codec == null) {
      _codec = message<MetainfoResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.error != null) {
          w.uint32(10)
          ContactError.codec().encode(obj.error, w)
        }

        if (obj.listBuckets != null) {
          w.uint32(18)
          ListBucketsResponse.codec().encode(obj.listBuckets, w)
        }

        if (obj.beginObject != null) {
          w.uint32(26)
          BeginObjectResponse.codec().encode(obj.beginObject, w)
        }

        if (obj.beginSegment != null) {
          w.uint32(34)
          BeginSegmentResponse.codec().encode(obj.beginSegment, w)
        }

        if (obj.commitObject != null) {
          w.uint32(42)
          CommitObjectResponse.codec().encode(obj.commitObject, w)
        }

        if (obj.getObject != null) {
          w.uint32(50)
          GetObjectResponse.codec().encode(obj.getObject, w)
        }

        if (obj.listObjects != null) {
          w.uint32(58)
          ListObjectsResponse.codec().encode(obj.listObjects, w)
        }

        if (obj.replacementOrders != null) {
          w.uint32(66)
          BeginSegmentResponse.codec().encode(obj.replacementOrders, w)
        }

        if (obj.beginPart != null) {
          w.uint32(74)
          BeginPartResponse.codec().encode(obj.beginPart, w)
        }

        if (obj.commitPart != null) {
          w.uint32(82)
          CommitPartResponse.codec().encode(obj.commitPart, w)
        }

        if (obj.listParts != null) {
          w.uint32(90)
          ListPartsResponse.codec().encode(obj.listParts, w)
        }

        if (obj.completeMultipart != null) {
          w.uint32(98)
          CompleteMultipartResponse.codec().encode(obj.completeMultipart, w)
        }

        if (obj.listUploads != null) {
          w.uint32(106)
          ListUploadsResponse.codec().encode(obj.listUploads, w)
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
              obj.error = ContactError.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            case 2: {
              obj.listBuckets = ListBucketsResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listBuckets
              })
              break
            }
            case 3: {
              obj.beginObject = BeginObjectResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beginObject
              })
              break
            }
            case 4: {
              obj.beginSegment = BeginSegmentResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beginSegment
              })
              break
            }
            case 5: {
              obj.commitObject = CommitObjectResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commitObject
              })
              break
            }
            case 6: {
              obj.getObject = GetObjectResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.getObject
              })
              break
            }
            case 7: {
              obj.listObjects = ListObjectsResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listObjects
              })
              break
            }
            case 8: {
              obj.replacementOrders = BeginSegmentResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.replacementOrders
              })
              break
            }
            case 9: {
              obj.beginPart = BeginPartResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.beginPart
              })
              break
            }
            case 10: {
              obj.commitPart = CommitPartResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.commitPart
              })
              break
            }
            case 11: {
              obj.listParts = ListPartsResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listParts
              })
              break
            }
            case 12: {
              obj.completeMultipart = CompleteMultipartResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.completeMultipart
              })
              break
            }
            case 13: {
              obj.listUploads = ListUploadsResponse.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.listUploads
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
              yield * ContactError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            case 2: {
              yield * ListBucketsResponse.codec().stream(reader, reader.uint32(), `${prefix}.listBuckets`, {
                limits: opts.limits?.listBuckets
              })

              break
            }
            case 3: {
              yield * BeginObjectResponse.codec().stream(reader, reader.uint32(), `${prefix}.beginObject`, {
                limits: opts.limits?.beginObject
              })

              break
            }
            case 4: {
              yield * BeginSegmentResponse.codec().stream(reader, reader.uint32(), `${prefix}.beginSegment`, {
                limits: opts.limits?.beginSegment
              })

              break
            }
            case 5: {
              yield * CommitObjectResponse.codec().stream(reader, reader.uint32(), `${prefix}.commitObject`, {
                limits: opts.limits?.commitObject
              })

              break
            }
            case 6: {
              yield * GetObjectResponse.codec().stream(reader, reader.uint32(), `${prefix}.getObject`, {
                limits: opts.limits?.getObject
              })

              break
            }
            case 7: {
              yield * ListObjectsResponse.codec().stream(reader, reader.uint32(), `${prefix}.listObjects`, {
                limits: opts.limits?.listObjects
              })

              break
            }
            case 8: {
              yield * BeginSegmentResponse.codec().stream(reader, reader.uint32(), `${prefix}.replacementOrders`, {
                limits: opts.limits?.replacementOrders
              })

              break
            }
            case 9: {
              yield * BeginPartResponse.codec().stream(reader, reader.uint32(), `${prefix}.beginPart`, {
                limits: opts.limits?.beginPart
              })

              break
            }
            case 10: {
              yield * CommitPartResponse.codec().stream(reader, reader.uint32(), `${prefix}.commitPart`, {
                limits: opts.limits?.commitPart
              })

              break
            }
            case 11: {
              yield * ListPartsResponse.codec().stream(reader, reader.uint32(), `${prefix}.listParts`, {
                limits: opts.limits?.listParts
              })

              break
            }
            case 12: {
              yield * CompleteMultipartResponse.codec().stream(reader, reader.uint32(), `${prefix}.completeMultipart`, {
                limits: opts.limits?.completeMultipart
              })

              break
            }
            case 13: {
              yield * ListUploadsResponse.codec().stream(reader, reader.uint32(), `${prefix}.listUploads`, {
                limits: opts.limits?.listUploads
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

  export interface MetainfoResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface MetainfoResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export interface MetainfoResponseListBucketsBucketsNameFieldEvent {
    field: '$.listBuckets.buckets[].name'
    value: string
    index: number
  }

  export interface MetainfoResponseListBucketsBucketsCreatedFieldEvent {
    field: '$.listBuckets.buckets[].created'
    value: bigint
    index: number
  }

  export interface MetainfoResponseBeginObjectStreamIdFieldEvent {
    field: '$.beginObject.streamId'
    value: string
  }

  export interface MetainfoResponseBeginObjectSchemeMinimumFieldEvent {
    field: '$.beginObject.scheme.minimum'
    value: number
  }

  export interface MetainfoResponseBeginObjectSchemeRepairFieldEvent {
    field: '$.beginObject.scheme.repair'
    value: number
  }

  export interface MetainfoResponseBeginObjectSchemeSuccessFieldEvent {
    field: '$.beginObject.scheme.success'
    value: number
  }

  export interface MetainfoResponseBeginObjectSchemeTotalFieldEvent {
    field: '$.beginObject.scheme.total'
    value: number
  }

  export interface MetainfoResponseBeginObjectMaxInlineFieldEvent {
    field: '$.beginObject.maxInline'
    value: bigint
  }

  export interface MetainfoResponseBeginSegmentRootPieceIdFieldEvent {
    field: '$.beginSegment.rootPieceId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseBeginSegmentSchemeMinimumFieldEvent {
    field: '$.beginSegment.scheme.minimum'
    value: number
  }

  export interface MetainfoResponseBeginSegmentSchemeRepairFieldEvent {
    field: '$.beginSegment.scheme.repair'
    value: number
  }

  export interface MetainfoResponseBeginSegmentSchemeSuccessFieldEvent {
    field: '$.beginSegment.scheme.success'
    value: number
  }

  export interface MetainfoResponseBeginSegmentSchemeTotalFieldEvent {
    field: '$.beginSegment.scheme.total'
    value: number
  }

  export interface MetainfoResponseBeginSegmentOrdersOrderLimitFieldEvent {
    field: '$.beginSegment.orders[].order.limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseBeginSegmentOrdersOrderSignatureFieldEvent {
    field: '$.beginSegment.orders[].order.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseBeginSegmentOrdersNodeIdFieldEvent {
    field: '$.beginSegment.orders[].nodeId'
    value: string
    index: number
  }

  export interface MetainfoResponseBeginSegmentOrdersAddressesFieldEvent {
    field: '$.beginSegment.orders[].addresses[]'
    index: number
    value: string
  }

  export interface MetainfoResponseBeginSegmentOrdersPieceNumberFieldEvent {
    field: '$.beginSegment.orders[].pieceNumber'
    value: number
    index: number
  }

  export interface MetainfoResponseBeginSegmentPiecePrivateKeyFieldEvent {
    field: '$.beginSegment.piecePrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCommitObjectSizeFieldEvent {
    field: '$.commitObject.size'
    value: bigint
  }

  export interface MetainfoResponseCommitObjectCommittedFieldEvent {
    field: '$.commitObject.committed'
    value: bigint
  }

  export interface MetainfoResponseGetObjectObjectBucketFieldEvent {
    field: '$.getObject.object.bucket'
    value: string
  }

  export interface MetainfoResponseGetObjectObjectKeyFieldEvent {
    field: '$.getObject.object.key'
    value: string
  }

  export interface MetainfoResponseGetObjectObjectSizeFieldEvent {
    field: '$.getObject.object.size'
    value: bigint
  }

  export interface MetainfoResponseGetObjectObjectCreatedFieldEvent {
    field: '$.getObject.object.created'
    value: bigint
  }

  export interface MetainfoResponseGetObjectObjectCommittedFieldEvent {
    field: '$.getObject.object.committed'
    value: bigint
  }

  export interface MetainfoResponseGetObjectObjectSegmentCountFieldEvent {
    field: '$.getObject.object.segmentCount'
    value: number
  }

  export interface MetainfoResponseGetObjectObjectMetadataFieldEvent {
    field: '$.getObject.object.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseGetObjectObjectEncryptionFieldEvent {
    field: '$.getObject.object.encryption'
    value: string
  }

  export interface MetainfoResponseGetObjectObjectExpiresFieldEvent {
    field: '$.getObject.object.expires'
    value: bigint
  }

  export interface MetainfoResponseGetObjectObjectEncryptedKeyFieldEvent {
    field: '$.getObject.object.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseGetObjectObjectPartCountFieldEvent {
    field: '$.getObject.object.partCount'
    value: number
  }

  export interface MetainfoResponseGetObjectSegmentsIndexFieldEvent {
    field: '$.getObject.segments[].index'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPlainSizeFieldEvent {
    field: '$.getObject.segments[].plainSize'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPieceSizeFieldEvent {
    field: '$.getObject.segments[].pieceSize'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsInlineFieldEvent {
    field: '$.getObject.segments[].inline'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsSchemeMinimumFieldEvent {
    field: '$.getObject.segments[].scheme.minimum'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsSchemeRepairFieldEvent {
    field: '$.getObject.segments[].scheme.repair'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsSchemeSuccessFieldEvent {
    field: '$.getObject.segments[].scheme.success'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsSchemeTotalFieldEvent {
    field: '$.getObject.segments[].scheme.total'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesOrderOrderLimitFieldEvent {
    field: '$.getObject.segments[].pieces[].order.order.limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesOrderOrderSignatureFieldEvent {
    field: '$.getObject.segments[].pieces[].order.order.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesOrderNodeIdFieldEvent {
    field: '$.getObject.segments[].pieces[].order.nodeId'
    value: string
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesOrderAddressesFieldEvent {
    field: '$.getObject.segments[].pieces[].order.addresses[]'
    index: number
    value: string
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesOrderPieceNumberFieldEvent {
    field: '$.getObject.segments[].pieces[].order.pieceNumber'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesRootFieldEvent {
    field: '$.getObject.segments[].pieces[].root'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPiecesSizeFieldEvent {
    field: '$.getObject.segments[].pieces[].size'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPlainOffsetFieldEvent {
    field: '$.getObject.segments[].plainOffset'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsOrderPrivateKeyFieldEvent {
    field: '$.getObject.segments[].orderPrivateKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartNumberFieldEvent {
    field: '$.getObject.segments[].part.number'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartIndexFieldEvent {
    field: '$.getObject.segments[].part.index'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartOffsetFieldEvent {
    field: '$.getObject.segments[].part.offset'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartSizeFieldEvent {
    field: '$.getObject.segments[].part.size'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartSaltFieldEvent {
    field: '$.getObject.segments[].part.salt'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartPartOffsetFieldEvent {
    field: '$.getObject.segments[].part.partOffset'
    value: bigint
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartLeafFieldEvent {
    field: '$.getObject.segments[].part.leaf'
    value: number
    index: number
  }

  export interface MetainfoResponseGetObjectSegmentsPartProofFieldEvent {
    field: '$.getObject.segments[].part.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseGetObjectMoreFieldEvent {
    field: '$.getObject.more'
    value: boolean
  }

  export interface MetainfoResponseGetObjectNextSegmentFieldEvent {
    field: '$.getObject.nextSegment'
    value: number
  }

  export interface MetainfoResponseGetObjectPartOffsetFieldEvent {
    field: '$.getObject.partOffset'
    value: bigint
  }

  export interface MetainfoResponseGetObjectPartSizeFieldEvent {
    field: '$.getObject.partSize'
    value: bigint
  }

  export interface MetainfoResponseGetObjectPartPlaceNumberFieldEvent {
    field: '$.getObject.partPlace.number'
    value: number
  }

  export interface MetainfoResponseGetObjectPartPlaceIndexFieldEvent {
    field: '$.getObject.partPlace.index'
    value: number
  }

  export interface MetainfoResponseGetObjectPartPlaceOffsetFieldEvent {
    field: '$.getObject.partPlace.offset'
    value: bigint
  }

  export interface MetainfoResponseGetObjectPartPlaceSizeFieldEvent {
    field: '$.getObject.partPlace.size'
    value: bigint
  }

  export interface MetainfoResponseGetObjectPartPlaceSaltFieldEvent {
    field: '$.getObject.partPlace.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseGetObjectPartPlacePartOffsetFieldEvent {
    field: '$.getObject.partPlace.partOffset'
    value: bigint
  }

  export interface MetainfoResponseGetObjectPartPlaceLeafFieldEvent {
    field: '$.getObject.partPlace.leaf'
    value: number
  }

  export interface MetainfoResponseGetObjectPartPlaceProofFieldEvent {
    field: '$.getObject.partPlace.proof[]'
    index: number
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseListObjectsObjectsBucketFieldEvent {
    field: '$.listObjects.objects[].bucket'
    value: string
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsKeyFieldEvent {
    field: '$.listObjects.objects[].key'
    value: string
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsSizeFieldEvent {
    field: '$.listObjects.objects[].size'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsCreatedFieldEvent {
    field: '$.listObjects.objects[].created'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsCommittedFieldEvent {
    field: '$.listObjects.objects[].committed'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsSegmentCountFieldEvent {
    field: '$.listObjects.objects[].segmentCount'
    value: number
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsMetadataFieldEvent {
    field: '$.listObjects.objects[].metadata'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsEncryptionFieldEvent {
    field: '$.listObjects.objects[].encryption'
    value: string
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsExpiresFieldEvent {
    field: '$.listObjects.objects[].expires'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsEncryptedKeyFieldEvent {
    field: '$.listObjects.objects[].encryptedKey'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseListObjectsObjectsPartCountFieldEvent {
    field: '$.listObjects.objects[].partCount'
    value: number
    index: number
  }

  export interface MetainfoResponseListObjectsPrefixesFieldEvent {
    field: '$.listObjects.prefixes[]'
    index: number
    value: string
  }

  export interface MetainfoResponseListObjectsNextCursorFieldEvent {
    field: '$.listObjects.nextCursor'
    value: string
  }

  export interface MetainfoResponseReplacementOrdersRootPieceIdFieldEvent {
    field: '$.replacementOrders.rootPieceId'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseReplacementOrdersSchemeMinimumFieldEvent {
    field: '$.replacementOrders.scheme.minimum'
    value: number
  }

  export interface MetainfoResponseReplacementOrdersSchemeRepairFieldEvent {
    field: '$.replacementOrders.scheme.repair'
    value: number
  }

  export interface MetainfoResponseReplacementOrdersSchemeSuccessFieldEvent {
    field: '$.replacementOrders.scheme.success'
    value: number
  }

  export interface MetainfoResponseReplacementOrdersSchemeTotalFieldEvent {
    field: '$.replacementOrders.scheme.total'
    value: number
  }

  export interface MetainfoResponseReplacementOrdersOrdersOrderLimitFieldEvent {
    field: '$.replacementOrders.orders[].order.limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseReplacementOrdersOrdersOrderSignatureFieldEvent {
    field: '$.replacementOrders.orders[].order.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseReplacementOrdersOrdersNodeIdFieldEvent {
    field: '$.replacementOrders.orders[].nodeId'
    value: string
    index: number
  }

  export interface MetainfoResponseReplacementOrdersOrdersAddressesFieldEvent {
    field: '$.replacementOrders.orders[].addresses[]'
    index: number
    value: string
  }

  export interface MetainfoResponseReplacementOrdersOrdersPieceNumberFieldEvent {
    field: '$.replacementOrders.orders[].pieceNumber'
    value: number
    index: number
  }

  export interface MetainfoResponseReplacementOrdersPiecePrivateKeyFieldEvent {
    field: '$.replacementOrders.piecePrivateKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseBeginPartPartStreamIdFieldEvent {
    field: '$.beginPart.partStreamId'
    value: string
  }

  export interface MetainfoResponseBeginPartSchemeMinimumFieldEvent {
    field: '$.beginPart.scheme.minimum'
    value: number
  }

  export interface MetainfoResponseBeginPartSchemeRepairFieldEvent {
    field: '$.beginPart.scheme.repair'
    value: number
  }

  export interface MetainfoResponseBeginPartSchemeSuccessFieldEvent {
    field: '$.beginPart.scheme.success'
    value: number
  }

  export interface MetainfoResponseBeginPartSchemeTotalFieldEvent {
    field: '$.beginPart.scheme.total'
    value: number
  }

  export interface MetainfoResponseBeginPartMaxInlineFieldEvent {
    field: '$.beginPart.maxInline'
    value: bigint
  }

  export interface MetainfoResponseBeginPartEncryptedKeyFieldEvent {
    field: '$.beginPart.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCommitPartPartNumberFieldEvent {
    field: '$.commitPart.part.number'
    value: number
  }

  export interface MetainfoResponseCommitPartPartSizeFieldEvent {
    field: '$.commitPart.part.size'
    value: bigint
  }

  export interface MetainfoResponseCommitPartPartCommittedFieldEvent {
    field: '$.commitPart.part.committed'
    value: bigint
  }

  export interface MetainfoResponseCommitPartPartSaltFieldEvent {
    field: '$.commitPart.part.salt'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCommitPartPartInfoFieldEvent {
    field: '$.commitPart.part.info'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCommitPartPartPartStreamIdFieldEvent {
    field: '$.commitPart.part.partStreamId'
    value: string
  }

  export interface MetainfoResponseListPartsPartsNumberFieldEvent {
    field: '$.listParts.parts[].number'
    value: number
    index: number
  }

  export interface MetainfoResponseListPartsPartsSizeFieldEvent {
    field: '$.listParts.parts[].size'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListPartsPartsCommittedFieldEvent {
    field: '$.listParts.parts[].committed'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListPartsPartsSaltFieldEvent {
    field: '$.listParts.parts[].salt'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseListPartsPartsInfoFieldEvent {
    field: '$.listParts.parts[].info'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface MetainfoResponseListPartsPartsPartStreamIdFieldEvent {
    field: '$.listParts.parts[].partStreamId'
    value: string
    index: number
  }

  export interface MetainfoResponseListPartsMoreFieldEvent {
    field: '$.listParts.more'
    value: boolean
  }

  export interface MetainfoResponseListPartsEncryptedKeyFieldEvent {
    field: '$.listParts.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseListPartsMetadataFieldEvent {
    field: '$.listParts.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCompleteMultipartObjectBucketFieldEvent {
    field: '$.completeMultipart.object.bucket'
    value: string
  }

  export interface MetainfoResponseCompleteMultipartObjectKeyFieldEvent {
    field: '$.completeMultipart.object.key'
    value: string
  }

  export interface MetainfoResponseCompleteMultipartObjectSizeFieldEvent {
    field: '$.completeMultipart.object.size'
    value: bigint
  }

  export interface MetainfoResponseCompleteMultipartObjectCreatedFieldEvent {
    field: '$.completeMultipart.object.created'
    value: bigint
  }

  export interface MetainfoResponseCompleteMultipartObjectCommittedFieldEvent {
    field: '$.completeMultipart.object.committed'
    value: bigint
  }

  export interface MetainfoResponseCompleteMultipartObjectSegmentCountFieldEvent {
    field: '$.completeMultipart.object.segmentCount'
    value: number
  }

  export interface MetainfoResponseCompleteMultipartObjectMetadataFieldEvent {
    field: '$.completeMultipart.object.metadata'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCompleteMultipartObjectEncryptionFieldEvent {
    field: '$.completeMultipart.object.encryption'
    value: string
  }

  export interface MetainfoResponseCompleteMultipartObjectExpiresFieldEvent {
    field: '$.completeMultipart.object.expires'
    value: bigint
  }

  export interface MetainfoResponseCompleteMultipartObjectEncryptedKeyFieldEvent {
    field: '$.completeMultipart.object.encryptedKey'
    value: Uint8Array<ArrayBuffer>
  }

  export interface MetainfoResponseCompleteMultipartObjectPartCountFieldEvent {
    field: '$.completeMultipart.object.partCount'
    value: number
  }

  export interface MetainfoResponseCompleteMultipartAlreadyFieldEvent {
    field: '$.completeMultipart.already'
    value: boolean
  }

  export interface MetainfoResponseListUploadsUploadsKeyFieldEvent {
    field: '$.listUploads.uploads[].key'
    value: string
    index: number
  }

  export interface MetainfoResponseListUploadsUploadsStreamIdFieldEvent {
    field: '$.listUploads.uploads[].streamId'
    value: string
    index: number
  }

  export interface MetainfoResponseListUploadsUploadsCreatedFieldEvent {
    field: '$.listUploads.uploads[].created'
    value: bigint
    index: number
  }

  export interface MetainfoResponseListUploadsMoreFieldEvent {
    field: '$.listUploads.more'
    value: boolean
  }

  export function encode (obj: Partial<MetainfoResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MetainfoResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MetainfoResponse>): MetainfoResponse {
    return decodeMessage(buf, MetainfoResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MetainfoResponse>): Generator<MetainfoResponseErrorCodeFieldEvent | MetainfoResponseErrorMessageFieldEvent | MetainfoResponseListBucketsBucketsNameFieldEvent | MetainfoResponseListBucketsBucketsCreatedFieldEvent | MetainfoResponseBeginObjectStreamIdFieldEvent | MetainfoResponseBeginObjectSchemeMinimumFieldEvent | MetainfoResponseBeginObjectSchemeRepairFieldEvent | MetainfoResponseBeginObjectSchemeSuccessFieldEvent | MetainfoResponseBeginObjectSchemeTotalFieldEvent | MetainfoResponseBeginObjectMaxInlineFieldEvent | MetainfoResponseBeginSegmentRootPieceIdFieldEvent | MetainfoResponseBeginSegmentSchemeMinimumFieldEvent | MetainfoResponseBeginSegmentSchemeRepairFieldEvent | MetainfoResponseBeginSegmentSchemeSuccessFieldEvent | MetainfoResponseBeginSegmentSchemeTotalFieldEvent | MetainfoResponseBeginSegmentOrdersOrderLimitFieldEvent | MetainfoResponseBeginSegmentOrdersOrderSignatureFieldEvent | MetainfoResponseBeginSegmentOrdersNodeIdFieldEvent | MetainfoResponseBeginSegmentOrdersAddressesFieldEvent | MetainfoResponseBeginSegmentOrdersPieceNumberFieldEvent | MetainfoResponseBeginSegmentPiecePrivateKeyFieldEvent | MetainfoResponseCommitObjectSizeFieldEvent | MetainfoResponseCommitObjectCommittedFieldEvent | MetainfoResponseGetObjectObjectBucketFieldEvent | MetainfoResponseGetObjectObjectKeyFieldEvent | MetainfoResponseGetObjectObjectSizeFieldEvent | MetainfoResponseGetObjectObjectCreatedFieldEvent | MetainfoResponseGetObjectObjectCommittedFieldEvent | MetainfoResponseGetObjectObjectSegmentCountFieldEvent | MetainfoResponseGetObjectObjectMetadataFieldEvent | MetainfoResponseGetObjectObjectEncryptionFieldEvent | MetainfoResponseGetObjectObjectExpiresFieldEvent | MetainfoResponseGetObjectObjectEncryptedKeyFieldEvent | MetainfoResponseGetObjectObjectPartCountFieldEvent | MetainfoResponseGetObjectSegmentsIndexFieldEvent | MetainfoResponseGetObjectSegmentsPlainSizeFieldEvent | MetainfoResponseGetObjectSegmentsPieceSizeFieldEvent | MetainfoResponseGetObjectSegmentsInlineFieldEvent | MetainfoResponseGetObjectSegmentsSchemeMinimumFieldEvent | MetainfoResponseGetObjectSegmentsSchemeRepairFieldEvent | MetainfoResponseGetObjectSegmentsSchemeSuccessFieldEvent | MetainfoResponseGetObjectSegmentsSchemeTotalFieldEvent | MetainfoResponseGetObjectSegmentsPiecesOrderOrderLimitFieldEvent | MetainfoResponseGetObjectSegmentsPiecesOrderOrderSignatureFieldEvent | MetainfoResponseGetObjectSegmentsPiecesOrderNodeIdFieldEvent | MetainfoResponseGetObjectSegmentsPiecesOrderAddressesFieldEvent | MetainfoResponseGetObjectSegmentsPiecesOrderPieceNumberFieldEvent | MetainfoResponseGetObjectSegmentsPiecesRootFieldEvent | MetainfoResponseGetObjectSegmentsPiecesSizeFieldEvent | MetainfoResponseGetObjectSegmentsPlainOffsetFieldEvent | MetainfoResponseGetObjectSegmentsOrderPrivateKeyFieldEvent | MetainfoResponseGetObjectSegmentsPartNumberFieldEvent | MetainfoResponseGetObjectSegmentsPartIndexFieldEvent | MetainfoResponseGetObjectSegmentsPartOffsetFieldEvent | MetainfoResponseGetObjectSegmentsPartSizeFieldEvent | MetainfoResponseGetObjectSegmentsPartSaltFieldEvent | MetainfoResponseGetObjectSegmentsPartPartOffsetFieldEvent | MetainfoResponseGetObjectSegmentsPartLeafFieldEvent | MetainfoResponseGetObjectSegmentsPartProofFieldEvent | MetainfoResponseGetObjectMoreFieldEvent | MetainfoResponseGetObjectNextSegmentFieldEvent | MetainfoResponseGetObjectPartOffsetFieldEvent | MetainfoResponseGetObjectPartSizeFieldEvent | MetainfoResponseGetObjectPartPlaceNumberFieldEvent | MetainfoResponseGetObjectPartPlaceIndexFieldEvent | MetainfoResponseGetObjectPartPlaceOffsetFieldEvent | MetainfoResponseGetObjectPartPlaceSizeFieldEvent | MetainfoResponseGetObjectPartPlaceSaltFieldEvent | MetainfoResponseGetObjectPartPlacePartOffsetFieldEvent | MetainfoResponseGetObjectPartPlaceLeafFieldEvent | MetainfoResponseGetObjectPartPlaceProofFieldEvent | MetainfoResponseListObjectsObjectsBucketFieldEvent | MetainfoResponseListObjectsObjectsKeyFieldEvent | MetainfoResponseListObjectsObjectsSizeFieldEvent | MetainfoResponseListObjectsObjectsCreatedFieldEvent | MetainfoResponseListObjectsObjectsCommittedFieldEvent | MetainfoResponseListObjectsObjectsSegmentCountFieldEvent | MetainfoResponseListObjectsObjectsMetadataFieldEvent | MetainfoResponseListObjectsObjectsEncryptionFieldEvent | MetainfoResponseListObjectsObjectsExpiresFieldEvent | MetainfoResponseListObjectsObjectsEncryptedKeyFieldEvent | MetainfoResponseListObjectsObjectsPartCountFieldEvent | MetainfoResponseListObjectsPrefixesFieldEvent | MetainfoResponseListObjectsNextCursorFieldEvent | MetainfoResponseReplacementOrdersRootPieceIdFieldEvent | MetainfoResponseReplacementOrdersSchemeMinimumFieldEvent | MetainfoResponseReplacementOrdersSchemeRepairFieldEvent | MetainfoResponseReplacementOrdersSchemeSuccessFieldEvent | MetainfoResponseReplacementOrdersSchemeTotalFieldEvent | MetainfoResponseReplacementOrdersOrdersOrderLimitFieldEvent | MetainfoResponseReplacementOrdersOrdersOrderSignatureFieldEvent | MetainfoResponseReplacementOrdersOrdersNodeIdFieldEvent | MetainfoResponseReplacementOrdersOrdersAddressesFieldEvent | MetainfoResponseReplacementOrdersOrdersPieceNumberFieldEvent | MetainfoResponseReplacementOrdersPiecePrivateKeyFieldEvent | MetainfoResponseBeginPartPartStreamIdFieldEvent | MetainfoResponseBeginPartSchemeMinimumFieldEvent | MetainfoResponseBeginPartSchemeRepairFieldEvent | MetainfoResponseBeginPartSchemeSuccessFieldEvent | MetainfoResponseBeginPartSchemeTotalFieldEvent | MetainfoResponseBeginPartMaxInlineFieldEvent | MetainfoResponseBeginPartEncryptedKeyFieldEvent | MetainfoResponseCommitPartPartNumberFieldEvent | MetainfoResponseCommitPartPartSizeFieldEvent | MetainfoResponseCommitPartPartCommittedFieldEvent | MetainfoResponseCommitPartPartSaltFieldEvent | MetainfoResponseCommitPartPartInfoFieldEvent | MetainfoResponseCommitPartPartPartStreamIdFieldEvent | MetainfoResponseListPartsPartsNumberFieldEvent | MetainfoResponseListPartsPartsSizeFieldEvent | MetainfoResponseListPartsPartsCommittedFieldEvent | MetainfoResponseListPartsPartsSaltFieldEvent | MetainfoResponseListPartsPartsInfoFieldEvent | MetainfoResponseListPartsPartsPartStreamIdFieldEvent | MetainfoResponseListPartsMoreFieldEvent | MetainfoResponseListPartsEncryptedKeyFieldEvent | MetainfoResponseListPartsMetadataFieldEvent | MetainfoResponseCompleteMultipartObjectBucketFieldEvent | MetainfoResponseCompleteMultipartObjectKeyFieldEvent | MetainfoResponseCompleteMultipartObjectSizeFieldEvent | MetainfoResponseCompleteMultipartObjectCreatedFieldEvent | MetainfoResponseCompleteMultipartObjectCommittedFieldEvent | MetainfoResponseCompleteMultipartObjectSegmentCountFieldEvent | MetainfoResponseCompleteMultipartObjectMetadataFieldEvent | MetainfoResponseCompleteMultipartObjectEncryptionFieldEvent | MetainfoResponseCompleteMultipartObjectExpiresFieldEvent | MetainfoResponseCompleteMultipartObjectEncryptedKeyFieldEvent | MetainfoResponseCompleteMultipartObjectPartCountFieldEvent | MetainfoResponseCompleteMultipartAlreadyFieldEvent | MetainfoResponseListUploadsUploadsKeyFieldEvent | MetainfoResponseListUploadsUploadsStreamIdFieldEvent | MetainfoResponseListUploadsUploadsCreatedFieldEvent | MetainfoResponseListUploadsMoreFieldEvent> {
    return streamMessage(buf, MetainfoResponse.codec(), opts)
  }
}

export interface PayoutStatementRequest {
  period: bigint
}

export namespace PayoutStatementRequest {
  let _codec: Codec<PayoutStatementRequest>

  export const codec = (): Codec<PayoutStatementRequest> => {
    if (_codec == null) {
      _codec = message<PayoutStatementRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.period != null && obj.period !== 0n)) {
          w.uint32(8)
          w.uint64(obj.period)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          period: 0n
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.period = reader.uint64()
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
                field: `${prefix}.period`,
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

  export interface PayoutStatementRequestPeriodFieldEvent {
    field: '$.period'
    value: bigint
  }

  export function encode (obj: Partial<PayoutStatementRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PayoutStatementRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutStatementRequest>): PayoutStatementRequest {
    return decodeMessage(buf, PayoutStatementRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutStatementRequest>): Generator<PayoutStatementRequestPeriodFieldEvent> {
    return streamMessage(buf, PayoutStatementRequest.codec(), opts)
  }
}

export interface PayoutEntry {
  seq: bigint
  period: bigint
  nodeId: string
  kind: string
  amount: string
  detail: string
  time: bigint
  prev: string
  nodePrev: string
  hash: string
}

export namespace PayoutEntry {
  let _codec: Codec<PayoutEntry>

  export const codec = (): Codec<PayoutEntry> => {
    if (_codec == null) {
      _codec = message<PayoutEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.seq != null && obj.seq !== 0n)) {
          w.uint32(8)
          w.uint64(obj.seq)
        }

        if ((obj.period != null && obj.period !== 0n)) {
          w.uint32(16)
          w.uint64(obj.period)
        }

        if ((obj.nodeId != null && obj.nodeId !== '')) {
          w.uint32(26)
          w.string(obj.nodeId)
        }

        if ((obj.kind != null && obj.kind !== '')) {
          w.uint32(34)
          w.string(obj.kind)
        }

        if ((obj.amount != null && obj.amount !== '')) {
          w.uint32(42)
          w.string(obj.amount)
        }

        if ((obj.detail != null && obj.detail !== '')) {
          w.uint32(50)
          w.string(obj.detail)
        }

        if ((obj.time != null && obj.time !== 0n)) {
          w.uint32(56)
          w.uint64(obj.time)
        }

        if ((obj.prev != null && obj.prev !== '')) {
          w.uint32(66)
          w.string(obj.prev)
        }

        if ((obj.nodePrev != null && obj.nodePrev !== '')) {
          w.uint32(74)
          w.string(obj.nodePrev)
        }

        if ((obj.hash != null && obj.hash !== '')) {
          w.uint32(82)
          w.string(obj.hash)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          seq: 0n,
          period: 0n,
          nodeId: '',
          kind: '',
          amount: '',
          detail: '',
          time: 0n,
          prev: '',
          nodePrev: '',
          hash: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.seq = reader.uint64()
              break
            }
            case 2: {
              obj.period = reader.uint64()
              break
            }
            case 3: {
              obj.nodeId = reader.string()
              break
            }
            case 4: {
              obj.kind = reader.string()
              break
            }
            case 5: {
              obj.amount = reader.string()
              break
            }
            case 6: {
              obj.detail = reader.string()
              break
            }
            case 7: {
              obj.time = reader.uint64()
              break
            }
            case 8: {
              obj.prev = reader.string()
              break
            }
            case 9: {
              obj.nodePrev = reader.string()
              break
            }
            case 10: {
              obj.hash = reader.string()
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
                field: `${prefix}.seq`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.period`,
                value: reader.uint64()
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
                field: `${prefix}.kind`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.amount`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.detail`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.time`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.prev`,
                value: reader.string()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.nodePrev`,
                value: reader.string()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.hash`,
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

  export interface PayoutEntrySeqFieldEvent {
    field: '$.seq'
    value: bigint
  }

  export interface PayoutEntryPeriodFieldEvent {
    field: '$.period'
    value: bigint
  }

  export interface PayoutEntryNodeIdFieldEvent {
    field: '$.nodeId'
    value: string
  }

  export interface PayoutEntryKindFieldEvent {
    field: '$.kind'
    value: string
  }

  export interface PayoutEntryAmountFieldEvent {
    field: '$.amount'
    value: string
  }

  export interface PayoutEntryDetailFieldEvent {
    field: '$.detail'
    value: string
  }

  export interface PayoutEntryTimeFieldEvent {
    field: '$.time'
    value: bigint
  }

  export interface PayoutEntryPrevFieldEvent {
    field: '$.prev'
    value: string
  }

  export interface PayoutEntryNodePrevFieldEvent {
    field: '$.nodePrev'
    value: string
  }

  export interface PayoutEntryHashFieldEvent {
    field: '$.hash'
    value: string
  }

  export function encode (obj: Partial<PayoutEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PayoutEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutEntry>): PayoutEntry {
    return decodeMessage(buf, PayoutEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutEntry>): Generator<PayoutEntrySeqFieldEvent | PayoutEntryPeriodFieldEvent | PayoutEntryNodeIdFieldEvent | PayoutEntryKindFieldEvent | PayoutEntryAmountFieldEvent | PayoutEntryDetailFieldEvent | PayoutEntryTimeFieldEvent | PayoutEntryPrevFieldEvent | PayoutEntryNodePrevFieldEvent | PayoutEntryHashFieldEvent> {
    return streamMessage(buf, PayoutEntry.codec(), opts)
  }
}

export interface PayoutStatement {
  satelliteId: string
  nodeId: string
  wallet: string
  period: bigint
  periodStart: bigint
  periodEnd: bigint
  entries: PayoutEntry[]
  total: string
  created: bigint
}

export namespace PayoutStatement {
  let _codec: Codec<PayoutStatement>

  export const codec = (): Codec<PayoutStatement> => {
    if (_codec == null) {
      _codec = message<PayoutStatement>((obj, w, opts = {}) => {
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

        if ((obj.wallet != null && obj.wallet !== '')) {
          w.uint32(26)
          w.string(obj.wallet)
        }

        if ((obj.period != null && obj.period !== 0n)) {
          w.uint32(32)
          w.uint64(obj.period)
        }

        if ((obj.periodStart != null && obj.periodStart !== 0n)) {
          w.uint32(40)
          w.uint64(obj.periodStart)
        }

        if ((obj.periodEnd != null && obj.periodEnd !== 0n)) {
          w.uint32(48)
          w.uint64(obj.periodEnd)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(58)
            PayoutEntry.codec().encode(value, w)
          }
        }

        if ((obj.total != null && obj.total !== '')) {
          w.uint32(66)
          w.string(obj.total)
        }

        if ((obj.created != null && obj.created !== 0n)) {
          w.uint32(72)
          w.uint64(obj.created)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          satelliteId: '',
          nodeId: '',
          wallet: '',
          period: 0n,
          periodStart: 0n,
          periodEnd: 0n,
          entries: [],
          total: '',
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
              obj.wallet = reader.string()
              break
            }
            case 4: {
              obj.period = reader.uint64()
              break
            }
            case 5: {
              obj.periodStart = reader.uint64()
              break
            }
            case 6: {
              obj.periodEnd = reader.uint64()
              break
            }
            case 7: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(PayoutEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 8: {
              obj.total = reader.string()
              break
            }
            case 9: {
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
        const obj = {
          entries: 0
        }

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
                field: `${prefix}.wallet`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.period`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.periodStart`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.periodEnd`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of PayoutEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 8: {
              yield {
                field: `${prefix}.total`,
                value: reader.string()
              }
              break
            }
            case 9: {
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

  export interface PayoutStatementSatelliteIdFieldEvent {
    field: '$.satelliteId'
    value: string
  }

  export interface PayoutStatementNodeIdFieldEvent {
    field: '$.nodeId'
    value: string
  }

  export interface PayoutStatementWalletFieldEvent {
    field: '$.wallet'
    value: string
  }

  export interface PayoutStatementPeriodFieldEvent {
    field: '$.period'
    value: bigint
  }

  export interface PayoutStatementPeriodStartFieldEvent {
    field: '$.periodStart'
    value: bigint
  }

  export interface PayoutStatementPeriodEndFieldEvent {
    field: '$.periodEnd'
    value: bigint
  }

  export interface PayoutStatementEntriesSeqFieldEvent {
    field: '$.entries[].seq'
    value: bigint
    index: number
  }

  export interface PayoutStatementEntriesPeriodFieldEvent {
    field: '$.entries[].period'
    value: bigint
    index: number
  }

  export interface PayoutStatementEntriesNodeIdFieldEvent {
    field: '$.entries[].nodeId'
    value: string
    index: number
  }

  export interface PayoutStatementEntriesKindFieldEvent {
    field: '$.entries[].kind'
    value: string
    index: number
  }

  export interface PayoutStatementEntriesAmountFieldEvent {
    field: '$.entries[].amount'
    value: string
    index: number
  }

  export interface PayoutStatementEntriesDetailFieldEvent {
    field: '$.entries[].detail'
    value: string
    index: number
  }

  export interface PayoutStatementEntriesTimeFieldEvent {
    field: '$.entries[].time'
    value: bigint
    index: number
  }

  export interface PayoutStatementEntriesPrevFieldEvent {
    field: '$.entries[].prev'
    value: string
    index: number
  }

  export interface PayoutStatementEntriesNodePrevFieldEvent {
    field: '$.entries[].nodePrev'
    value: string
    index: number
  }

  export interface PayoutStatementEntriesHashFieldEvent {
    field: '$.entries[].hash'
    value: string
    index: number
  }

  export interface PayoutStatementTotalFieldEvent {
    field: '$.total'
    value: string
  }

  export interface PayoutStatementCreatedFieldEvent {
    field: '$.created'
    value: bigint
  }

  export function encode (obj: Partial<PayoutStatement>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PayoutStatement.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutStatement>): PayoutStatement {
    return decodeMessage(buf, PayoutStatement.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutStatement>): Generator<PayoutStatementSatelliteIdFieldEvent | PayoutStatementNodeIdFieldEvent | PayoutStatementWalletFieldEvent | PayoutStatementPeriodFieldEvent | PayoutStatementPeriodStartFieldEvent | PayoutStatementPeriodEndFieldEvent | PayoutStatementEntriesSeqFieldEvent | PayoutStatementEntriesPeriodFieldEvent | PayoutStatementEntriesNodeIdFieldEvent | PayoutStatementEntriesKindFieldEvent | PayoutStatementEntriesAmountFieldEvent | PayoutStatementEntriesDetailFieldEvent | PayoutStatementEntriesTimeFieldEvent | PayoutStatementEntriesPrevFieldEvent | PayoutStatementEntriesNodePrevFieldEvent | PayoutStatementEntriesHashFieldEvent | PayoutStatementTotalFieldEvent | PayoutStatementCreatedFieldEvent> {
    return streamMessage(buf, PayoutStatement.codec(), opts)
  }
}

export interface SignedPayoutStatement {
  statement: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedPayoutStatement {
  let _codec: Codec<SignedPayoutStatement>

  export const codec = (): Codec<SignedPayoutStatement> => {
    if (_codec == null) {
      _codec = message<SignedPayoutStatement>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.statement != null && obj.statement.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.statement)
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
          statement: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.statement = reader.bytes()
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
                field: `${prefix}.statement`,
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

  export interface SignedPayoutStatementStatementFieldEvent {
    field: '$.statement'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedPayoutStatementSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedPayoutStatement>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedPayoutStatement.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPayoutStatement>): SignedPayoutStatement {
    return decodeMessage(buf, SignedPayoutStatement.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedPayoutStatement>): Generator<SignedPayoutStatementStatementFieldEvent | SignedPayoutStatementSignatureFieldEvent> {
    return streamMessage(buf, SignedPayoutStatement.codec(), opts)
  }
}

export interface PayoutClaim {
  period: bigint
  root: string
  wallet: string
  cumulative: string
  proof: string[]
  distributor: string
  token: string
  publishTx: string
  pushTxs: string[]
}

export namespace PayoutClaim {
  let _codec: Codec<PayoutClaim>

  export const codec = (): Codec<PayoutClaim> => {
    if (_codec == null) {
      _codec = message<PayoutClaim>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.period != null && obj.period !== 0n)) {
          w.uint32(8)
          w.uint64(obj.period)
        }

        if ((obj.root != null && obj.root !== '')) {
          w.uint32(18)
          w.string(obj.root)
        }

        if ((obj.wallet != null && obj.wallet !== '')) {
          w.uint32(26)
          w.string(obj.wallet)
        }

        if ((obj.cumulative != null && obj.cumulative !== '')) {
          w.uint32(34)
          w.string(obj.cumulative)
        }

        if (obj.proof != null && obj.proof.length > 0) {
          for (const value of obj.proof) {
            w.uint32(42)
            w.string(value)
          }
        }

        if ((obj.distributor != null && obj.distributor !== '')) {
          w.uint32(50)
          w.string(obj.distributor)
        }

        if ((obj.token != null && obj.token !== '')) {
          w.uint32(58)
          w.string(obj.token)
        }

        if ((obj.publishTx != null && obj.publishTx !== '')) {
          w.uint32(66)
          w.string(obj.publishTx)
        }

        if (obj.pushTxs != null && obj.pushTxs.length > 0) {
          for (const value of obj.pushTxs) {
            w.uint32(74)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          period: 0n,
          root: '',
          wallet: '',
          cumulative: '',
          proof: [],
          distributor: '',
          token: '',
          publishTx: '',
          pushTxs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.period = reader.uint64()
              break
            }
            case 2: {
              obj.root = reader.string()
              break
            }
            case 3: {
              obj.wallet = reader.string()
              break
            }
            case 4: {
              obj.cumulative = reader.string()
              break
            }
            case 5: {
              if (opts.limits?.proof != null && obj.proof.length === opts.limits.proof) {
                throw new MaxLengthError('Decode error - repeated field "proof" had too many elements')
              }

              obj.proof.push(reader.string())
              break
            }
            case 6: {
              obj.distributor = reader.string()
              break
            }
            case 7: {
              obj.token = reader.string()
              break
            }
            case 8: {
              obj.publishTx = reader.string()
              break
            }
            case 9: {
              if (opts.limits?.pushTxs != null && obj.pushTxs.length === opts.limits.pushTxs) {
                throw new MaxLengthError('Decode error - repeated field "pushTxs" had too many elements')
              }

              obj.pushTxs.push(reader.string())
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
          proof: 0,
          pushTxs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.period`,
                value: reader.uint64()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.root`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.wallet`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.cumulative`,
                value: reader.string()
              }
              break
            }
            case 5: {
              if (opts.limits?.proof != null && obj.proof === opts.limits.proof) {
                throw new MaxLengthError('Streaming decode error - repeated field "proof" had too many elements')
              }

              yield {
                field: `${prefix}.proof[]`,
                index: obj.proof,
                value: reader.string()
              }

              obj.proof++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.distributor`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.token`,
                value: reader.string()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.publishTx`,
                value: reader.string()
              }
              break
            }
            case 9: {
              if (opts.limits?.pushTxs != null && obj.pushTxs === opts.limits.pushTxs) {
                throw new MaxLengthError('Streaming decode error - repeated field "pushTxs" had too many elements')
              }

              yield {
                field: `${prefix}.pushTxs[]`,
                index: obj.pushTxs,
                value: reader.string()
              }

              obj.pushTxs++

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

  export interface PayoutClaimPeriodFieldEvent {
    field: '$.period'
    value: bigint
  }

  export interface PayoutClaimRootFieldEvent {
    field: '$.root'
    value: string
  }

  export interface PayoutClaimWalletFieldEvent {
    field: '$.wallet'
    value: string
  }

  export interface PayoutClaimCumulativeFieldEvent {
    field: '$.cumulative'
    value: string
  }

  export interface PayoutClaimProofFieldEvent {
    field: '$.proof[]'
    index: number
    value: string
  }

  export interface PayoutClaimDistributorFieldEvent {
    field: '$.distributor'
    value: string
  }

  export interface PayoutClaimTokenFieldEvent {
    field: '$.token'
    value: string
  }

  export interface PayoutClaimPublishTxFieldEvent {
    field: '$.publishTx'
    value: string
  }

  export interface PayoutClaimPushTxsFieldEvent {
    field: '$.pushTxs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<PayoutClaim>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PayoutClaim.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutClaim>): PayoutClaim {
    return decodeMessage(buf, PayoutClaim.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutClaim>): Generator<PayoutClaimPeriodFieldEvent | PayoutClaimRootFieldEvent | PayoutClaimWalletFieldEvent | PayoutClaimCumulativeFieldEvent | PayoutClaimProofFieldEvent | PayoutClaimDistributorFieldEvent | PayoutClaimTokenFieldEvent | PayoutClaimPublishTxFieldEvent | PayoutClaimPushTxsFieldEvent> {
    return streamMessage(buf, PayoutClaim.codec(), opts)
  }
}

export interface PayoutStatementResponse {
  statement?: SignedPayoutStatement
  error?: ContactError
  claim?: PayoutClaim
}

export namespace PayoutStatementResponse {
  let _codec: Codec<PayoutStatementResponse>

  export const codec = (): Codec<PayoutStatementResponse> => {
    if (_codec == null) {
      _codec = message<PayoutStatementResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.statement != null) {
          w.uint32(10)
          SignedPayoutStatement.codec().encode(obj.statement, w)
        }

        if (obj.error != null) {
          w.uint32(18)
          ContactError.codec().encode(obj.error, w)
        }

        if (obj.claim != null) {
          w.uint32(26)
          PayoutClaim.codec().encode(obj.claim, w)
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
              obj.statement = SignedPayoutStatement.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.statement
              })
              break
            }
            case 2: {
              obj.error = ContactError.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.error
              })
              break
            }
            case 3: {
              obj.claim = PayoutClaim.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.claim
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
              yield * SignedPayoutStatement.codec().stream(reader, reader.uint32(), `${prefix}.statement`, {
                limits: opts.limits?.statement
              })

              break
            }
            case 2: {
              yield * ContactError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
                limits: opts.limits?.error
              })

              break
            }
            case 3: {
              yield * PayoutClaim.codec().stream(reader, reader.uint32(), `${prefix}.claim`, {
                limits: opts.limits?.claim
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

  export interface PayoutStatementResponseStatementStatementFieldEvent {
    field: '$.statement.statement'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayoutStatementResponseStatementSignatureFieldEvent {
    field: '$.statement.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface PayoutStatementResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface PayoutStatementResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export interface PayoutStatementResponseClaimPeriodFieldEvent {
    field: '$.claim.period'
    value: bigint
  }

  export interface PayoutStatementResponseClaimRootFieldEvent {
    field: '$.claim.root'
    value: string
  }

  export interface PayoutStatementResponseClaimWalletFieldEvent {
    field: '$.claim.wallet'
    value: string
  }

  export interface PayoutStatementResponseClaimCumulativeFieldEvent {
    field: '$.claim.cumulative'
    value: string
  }

  export interface PayoutStatementResponseClaimProofFieldEvent {
    field: '$.claim.proof[]'
    index: number
    value: string
  }

  export interface PayoutStatementResponseClaimDistributorFieldEvent {
    field: '$.claim.distributor'
    value: string
  }

  export interface PayoutStatementResponseClaimTokenFieldEvent {
    field: '$.claim.token'
    value: string
  }

  export interface PayoutStatementResponseClaimPublishTxFieldEvent {
    field: '$.claim.publishTx'
    value: string
  }

  export interface PayoutStatementResponseClaimPushTxsFieldEvent {
    field: '$.claim.pushTxs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<PayoutStatementResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, PayoutStatementResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutStatementResponse>): PayoutStatementResponse {
    return decodeMessage(buf, PayoutStatementResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<PayoutStatementResponse>): Generator<PayoutStatementResponseStatementStatementFieldEvent | PayoutStatementResponseStatementSignatureFieldEvent | PayoutStatementResponseErrorCodeFieldEvent | PayoutStatementResponseErrorMessageFieldEvent | PayoutStatementResponseClaimPeriodFieldEvent | PayoutStatementResponseClaimRootFieldEvent | PayoutStatementResponseClaimWalletFieldEvent | PayoutStatementResponseClaimCumulativeFieldEvent | PayoutStatementResponseClaimProofFieldEvent | PayoutStatementResponseClaimDistributorFieldEvent | PayoutStatementResponseClaimTokenFieldEvent | PayoutStatementResponseClaimPublishTxFieldEvent | PayoutStatementResponseClaimPushTxsFieldEvent> {
    return streamMessage(buf, PayoutStatementResponse.codec(), opts)
  }
}

export interface NodeStatsRequest {}

export namespace NodeStatsRequest {
  let _codec: Codec<NodeStatsRequest>

  export const codec = (): Codec<NodeStatsRequest> => {
    if (_codec == null) {
      _codec = message<NodeStatsRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
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

  export function encode (obj: Partial<NodeStatsRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NodeStatsRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NodeStatsRequest>): NodeStatsRequest {
    return decodeMessage(buf, NodeStatsRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NodeStatsRequest>): Generator<{}> {
    return streamMessage(buf, NodeStatsRequest.codec(), opts)
  }
}

export interface NodeStats {
  auditScore: number
  onlineScore: number
  vetted: boolean
  suspended: bigint
  disqualified: bigint
  auditsPassed: bigint
  auditsFailed: bigint
  auditsOffline: bigint
  auditsContained: bigint
  heldBytes: bigint
  period: bigint
  periodStart: bigint
  periodEstimate: string
}

export namespace NodeStats {
  let _codec: Codec<NodeStats>

  export const codec = (): Codec<NodeStats> => {
    if (_codec == null) {
      _codec = message<NodeStats>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.auditScore != null && obj.auditScore !== 0)) {
          w.uint32(9)
          w.double(obj.auditScore)
        }

        if ((obj.onlineScore != null && obj.onlineScore !== 0)) {
          w.uint32(17)
          w.double(obj.onlineScore)
        }

        if ((obj.vetted != null && obj.vetted !== false)) {
          w.uint32(24)
          w.bool(obj.vetted)
        }

        if ((obj.suspended != null && obj.suspended !== 0n)) {
          w.uint32(32)
          w.uint64(obj.suspended)
        }

        if ((obj.disqualified != null && obj.disqualified !== 0n)) {
          w.uint32(40)
          w.uint64(obj.disqualified)
        }

        if ((obj.auditsPassed != null && obj.auditsPassed !== 0n)) {
          w.uint32(48)
          w.uint64(obj.auditsPassed)
        }

        if ((obj.auditsFailed != null && obj.auditsFailed !== 0n)) {
          w.uint32(56)
          w.uint64(obj.auditsFailed)
        }

        if ((obj.auditsOffline != null && obj.auditsOffline !== 0n)) {
          w.uint32(64)
          w.uint64(obj.auditsOffline)
        }

        if ((obj.auditsContained != null && obj.auditsContained !== 0n)) {
          w.uint32(72)
          w.uint64(obj.auditsContained)
        }

        if ((obj.heldBytes != null && obj.heldBytes !== 0n)) {
          w.uint32(80)
          w.uint64(obj.heldBytes)
        }

        if ((obj.period != null && obj.period !== 0n)) {
          w.uint32(88)
          w.uint64(obj.period)
        }

        if ((obj.periodStart != null && obj.periodStart !== 0n)) {
          w.uint32(96)
          w.uint64(obj.periodStart)
        }

        if ((obj.periodEstimate != null && obj.periodEstimate !== '')) {
          w.uint32(106)
          w.string(obj.periodEstimate)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          auditScore: 0,
          onlineScore: 0,
          vetted: false,
          suspended: 0n,
          disqualified: 0n,
          auditsPassed: 0n,
          auditsFailed: 0n,
          auditsOffline: 0n,
          auditsContained: 0n,
          heldBytes: 0n,
          period: 0n,
          periodStart: 0n,
          periodEstimate: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.auditScore = reader.double()
              break
            }
            case 2: {
              obj.onlineScore = reader.double()
              break
            }
            case 3: {
              obj.vetted = reader.bool()
              break
            }
            case 4: {
              obj.suspended = reader.uint64()
              break
            }
            case 5: {
              obj.disqualified = reader.uint64()
              break
            }
            case 6: {
              obj.auditsPassed = reader.uint64()
              break
            }
            case 7: {
              obj.auditsFailed = reader.uint64()
              break
            }
            case 8: {
              obj.auditsOffline = reader.uint64()
              break
            }
            case 9: {
              obj.auditsContained = reader.uint64()
              break
            }
            case 10: {
              obj.heldBytes = reader.uint64()
              break
            }
            case 11: {
              obj.period = reader.uint64()
              break
            }
            case 12: {
              obj.periodStart = reader.uint64()
              break
            }
            case 13: {
              obj.periodEstimate = reader.string()
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
                field: `${prefix}.auditScore`,
                value: reader.double()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.onlineScore`,
                value: reader.double()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.vetted`,
                value: reader.bool()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.suspended`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.disqualified`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.auditsPassed`,
                value: reader.uint64()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.auditsFailed`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.auditsOffline`,
                value: reader.uint64()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.auditsContained`,
                value: reader.uint64()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.heldBytes`,
                value: reader.uint64()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.period`,
                value: reader.uint64()
              }
              break
            }
            case 12: {
              yield {
                field: `${prefix}.periodStart`,
                value: reader.uint64()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.periodEstimate`,
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

  export interface NodeStatsAuditScoreFieldEvent {
    field: '$.auditScore'
    value: number
  }

  export interface NodeStatsOnlineScoreFieldEvent {
    field: '$.onlineScore'
    value: number
  }

  export interface NodeStatsVettedFieldEvent {
    field: '$.vetted'
    value: boolean
  }

  export interface NodeStatsSuspendedFieldEvent {
    field: '$.suspended'
    value: bigint
  }

  export interface NodeStatsDisqualifiedFieldEvent {
    field: '$.disqualified'
    value: bigint
  }

  export interface NodeStatsAuditsPassedFieldEvent {
    field: '$.auditsPassed'
    value: bigint
  }

  export interface NodeStatsAuditsFailedFieldEvent {
    field: '$.auditsFailed'
    value: bigint
  }

  export interface NodeStatsAuditsOfflineFieldEvent {
    field: '$.auditsOffline'
    value: bigint
  }

  export interface NodeStatsAuditsContainedFieldEvent {
    field: '$.auditsContained'
    value: bigint
  }

  export interface NodeStatsHeldBytesFieldEvent {
    field: '$.heldBytes'
    value: bigint
  }

  export interface NodeStatsPeriodFieldEvent {
    field: '$.period'
    value: bigint
  }

  export interface NodeStatsPeriodStartFieldEvent {
    field: '$.periodStart'
    value: bigint
  }

  export interface NodeStatsPeriodEstimateFieldEvent {
    field: '$.periodEstimate'
    value: string
  }

  export function encode (obj: Partial<NodeStats>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NodeStats.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NodeStats>): NodeStats {
    return decodeMessage(buf, NodeStats.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NodeStats>): Generator<NodeStatsAuditScoreFieldEvent | NodeStatsOnlineScoreFieldEvent | NodeStatsVettedFieldEvent | NodeStatsSuspendedFieldEvent | NodeStatsDisqualifiedFieldEvent | NodeStatsAuditsPassedFieldEvent | NodeStatsAuditsFailedFieldEvent | NodeStatsAuditsOfflineFieldEvent | NodeStatsAuditsContainedFieldEvent | NodeStatsHeldBytesFieldEvent | NodeStatsPeriodFieldEvent | NodeStatsPeriodStartFieldEvent | NodeStatsPeriodEstimateFieldEvent> {
    return streamMessage(buf, NodeStats.codec(), opts)
  }
}

export interface NodeStatsResponse {
  stats?: NodeStats
  error?: ContactError
}

export namespace NodeStatsResponse {
  let _codec: Codec<NodeStatsResponse>

  export const codec = (): Codec<NodeStatsResponse> => {
    if (_codec == null) {
      _codec = message<NodeStatsResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.stats != null) {
          w.uint32(10)
          NodeStats.codec().encode(obj.stats, w)
        }

        if (obj.error != null) {
          w.uint32(18)
          ContactError.codec().encode(obj.error, w)
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
              obj.stats = NodeStats.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.stats
              })
              break
            }
            case 2: {
              obj.error = ContactError.codec().decode(reader, reader.uint32(), {
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
              yield * NodeStats.codec().stream(reader, reader.uint32(), `${prefix}.stats`, {
                limits: opts.limits?.stats
              })

              break
            }
            case 2: {
              yield * ContactError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
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

  export interface NodeStatsResponseStatsAuditScoreFieldEvent {
    field: '$.stats.auditScore'
    value: number
  }

  export interface NodeStatsResponseStatsOnlineScoreFieldEvent {
    field: '$.stats.onlineScore'
    value: number
  }

  export interface NodeStatsResponseStatsVettedFieldEvent {
    field: '$.stats.vetted'
    value: boolean
  }

  export interface NodeStatsResponseStatsSuspendedFieldEvent {
    field: '$.stats.suspended'
    value: bigint
  }

  export interface NodeStatsResponseStatsDisqualifiedFieldEvent {
    field: '$.stats.disqualified'
    value: bigint
  }

  export interface NodeStatsResponseStatsAuditsPassedFieldEvent {
    field: '$.stats.auditsPassed'
    value: bigint
  }

  export interface NodeStatsResponseStatsAuditsFailedFieldEvent {
    field: '$.stats.auditsFailed'
    value: bigint
  }

  export interface NodeStatsResponseStatsAuditsOfflineFieldEvent {
    field: '$.stats.auditsOffline'
    value: bigint
  }

  export interface NodeStatsResponseStatsAuditsContainedFieldEvent {
    field: '$.stats.auditsContained'
    value: bigint
  }

  export interface NodeStatsResponseStatsHeldBytesFieldEvent {
    field: '$.stats.heldBytes'
    value: bigint
  }

  export interface NodeStatsResponseStatsPeriodFieldEvent {
    field: '$.stats.period'
    value: bigint
  }

  export interface NodeStatsResponseStatsPeriodStartFieldEvent {
    field: '$.stats.periodStart'
    value: bigint
  }

  export interface NodeStatsResponseStatsPeriodEstimateFieldEvent {
    field: '$.stats.periodEstimate'
    value: string
  }

  export interface NodeStatsResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface NodeStatsResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<NodeStatsResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, NodeStatsResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NodeStatsResponse>): NodeStatsResponse {
    return decodeMessage(buf, NodeStatsResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<NodeStatsResponse>): Generator<NodeStatsResponseStatsAuditScoreFieldEvent | NodeStatsResponseStatsOnlineScoreFieldEvent | NodeStatsResponseStatsVettedFieldEvent | NodeStatsResponseStatsSuspendedFieldEvent | NodeStatsResponseStatsDisqualifiedFieldEvent | NodeStatsResponseStatsAuditsPassedFieldEvent | NodeStatsResponseStatsAuditsFailedFieldEvent | NodeStatsResponseStatsAuditsOfflineFieldEvent | NodeStatsResponseStatsAuditsContainedFieldEvent | NodeStatsResponseStatsHeldBytesFieldEvent | NodeStatsResponseStatsPeriodFieldEvent | NodeStatsResponseStatsPeriodStartFieldEvent | NodeStatsResponseStatsPeriodEstimateFieldEvent | NodeStatsResponseErrorCodeFieldEvent | NodeStatsResponseErrorMessageFieldEvent> {
    return streamMessage(buf, NodeStatsResponse.codec(), opts)
  }
}

export interface SettlementItem {
  limit: Uint8Array<ArrayBuffer>
  limitSignature: Uint8Array<ArrayBuffer>
  order: Uint8Array<ArrayBuffer>
  orderSignature: Uint8Array<ArrayBuffer>
}

export namespace SettlementItem {
  let _codec: Codec<SettlementItem>

  export const codec = (): Codec<SettlementItem> => {
    if (_codec == null) {
      _codec = message<SettlementItem>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.limit != null && obj.limit.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.limit)
        }

        if ((obj.limitSignature != null && obj.limitSignature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.limitSignature)
        }

        if ((obj.order != null && obj.order.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.order)
        }

        if ((obj.orderSignature != null && obj.orderSignature.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.orderSignature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          limit: uint8ArrayAlloc(0),
          limitSignature: uint8ArrayAlloc(0),
          order: uint8ArrayAlloc(0),
          orderSignature: uint8ArrayAlloc(0)
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
              obj.limitSignature = reader.bytes()
              break
            }
            case 3: {
              obj.order = reader.bytes()
              break
            }
            case 4: {
              obj.orderSignature = reader.bytes()
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
                field: `${prefix}.limitSignature`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.order`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.orderSignature`,
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

  export interface SettlementItemLimitFieldEvent {
    field: '$.limit'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SettlementItemLimitSignatureFieldEvent {
    field: '$.limitSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SettlementItemOrderFieldEvent {
    field: '$.order'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SettlementItemOrderSignatureFieldEvent {
    field: '$.orderSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SettlementItem>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SettlementItem.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementItem>): SettlementItem {
    return decodeMessage(buf, SettlementItem.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementItem>): Generator<SettlementItemLimitFieldEvent | SettlementItemLimitSignatureFieldEvent | SettlementItemOrderFieldEvent | SettlementItemOrderSignatureFieldEvent> {
    return streamMessage(buf, SettlementItem.codec(), opts)
  }
}

export interface SettlementRequest {
  items: SettlementItem[]
}

export namespace SettlementRequest {
  let _codec: Codec<SettlementRequest>

  export const codec = (): Codec<SettlementRequest> => {
    if (_codec == null) {
      _codec = message<SettlementRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.items != null && obj.items.length > 0) {
          for (const value of obj.items) {
            w.uint32(10)
            SettlementItem.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          items: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.items != null && obj.items.length === opts.limits.items) {
                throw new MaxLengthError('Decode error - repeated field "items" had too many elements')
              }

              obj.items.push(SettlementItem.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.items$
              }))
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
          items: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.items != null && obj.items === opts.limits.items) {
                throw new MaxLengthError('Streaming decode error - repeated field "items" had too many elements')
              }

              for (const evt of SettlementItem.codec().stream(reader, reader.uint32(), `${prefix}.items[]`, {
                limits: opts.limits?.items$
              })) {
                yield {
                  ...evt,
                  index: obj.items
                }
              }

              obj.items++

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

  export interface SettlementRequestItemsLimitFieldEvent {
    field: '$.items[].limit'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SettlementRequestItemsLimitSignatureFieldEvent {
    field: '$.items[].limitSignature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SettlementRequestItemsOrderFieldEvent {
    field: '$.items[].order'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SettlementRequestItemsOrderSignatureFieldEvent {
    field: '$.items[].orderSignature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<SettlementRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SettlementRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementRequest>): SettlementRequest {
    return decodeMessage(buf, SettlementRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementRequest>): Generator<SettlementRequestItemsLimitFieldEvent | SettlementRequestItemsLimitSignatureFieldEvent | SettlementRequestItemsOrderFieldEvent | SettlementRequestItemsOrderSignatureFieldEvent> {
    return streamMessage(buf, SettlementRequest.codec(), opts)
  }
}

export enum SettlementStatus {
  SETTLEMENT_UNSPECIFIED = 'SETTLEMENT_UNSPECIFIED',
  SETTLEMENT_ACCEPTED = 'SETTLEMENT_ACCEPTED',
  SETTLEMENT_REJECTED = 'SETTLEMENT_REJECTED',
  SETTLEMENT_DUPLICATE = 'SETTLEMENT_DUPLICATE'
}

enum __SettlementStatusValues {
  SETTLEMENT_UNSPECIFIED = 0,
  SETTLEMENT_ACCEPTED = 1,
  SETTLEMENT_REJECTED = 2,
  SETTLEMENT_DUPLICATE = 3
}

export namespace SettlementStatus {
  export const codec = (): Codec<SettlementStatus> => {
    return enumeration<SettlementStatus>(__SettlementStatusValues)
  }
}

export interface SettlementResult {
  serialNumber: Uint8Array<ArrayBuffer>
  status: SettlementStatus
  reason: string
}

export namespace SettlementResult {
  let _codec: Codec<SettlementResult>

  export const codec = (): Codec<SettlementResult> => {
    if (_codec == null) {
      _codec = message<SettlementResult>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.serialNumber != null && obj.serialNumber.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.serialNumber)
        }

        if (obj.status != null && __SettlementStatusValues[obj.status] !== 0) {
          w.uint32(16)
          SettlementStatus.codec().encode(obj.status, w)
        }

        if ((obj.reason != null && obj.reason !== '')) {
          w.uint32(26)
          w.string(obj.reason)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          serialNumber: uint8ArrayAlloc(0),
          status: SettlementStatus.SETTLEMENT_UNSPECIFIED,
          reason: ''
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
              obj.status = SettlementStatus.codec().decode(reader)
              break
            }
            case 3: {
              obj.reason = reader.string()
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
                field: `${prefix}.status`,
                value: SettlementStatus.codec().decode(reader)
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.reason`,
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

  export interface SettlementResultSerialNumberFieldEvent {
    field: '$.serialNumber'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SettlementResultStatusFieldEvent {
    field: '$.status'
    value: SettlementStatus
  }

  export interface SettlementResultReasonFieldEvent {
    field: '$.reason'
    value: string
  }

  export function encode (obj: Partial<SettlementResult>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SettlementResult.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementResult>): SettlementResult {
    return decodeMessage(buf, SettlementResult.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementResult>): Generator<SettlementResultSerialNumberFieldEvent | SettlementResultStatusFieldEvent | SettlementResultReasonFieldEvent> {
    return streamMessage(buf, SettlementResult.codec(), opts)
  }
}

export interface SettlementResponse {
  results: SettlementResult[]
  error?: ContactError
}

export namespace SettlementResponse {
  let _codec: Codec<SettlementResponse>

  export const codec = (): Codec<SettlementResponse> => {
    if (_codec == null) {
      _codec = message<SettlementResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.results != null && obj.results.length > 0) {
          for (const value of obj.results) {
            w.uint32(10)
            SettlementResult.codec().encode(value, w)
          }
        }

        if (obj.error != null) {
          w.uint32(18)
          ContactError.codec().encode(obj.error, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          results: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.results != null && obj.results.length === opts.limits.results) {
                throw new MaxLengthError('Decode error - repeated field "results" had too many elements')
              }

              obj.results.push(SettlementResult.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.results$
              }))
              break
            }
            case 2: {
              obj.error = ContactError.codec().decode(reader, reader.uint32(), {
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
          results: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.results != null && obj.results === opts.limits.results) {
                throw new MaxLengthError('Streaming decode error - repeated field "results" had too many elements')
              }

              for (const evt of SettlementResult.codec().stream(reader, reader.uint32(), `${prefix}.results[]`, {
                limits: opts.limits?.results$
              })) {
                yield {
                  ...evt,
                  index: obj.results
                }
              }

              obj.results++

              break
            }
            case 2: {
              yield * ContactError.codec().stream(reader, reader.uint32(), `${prefix}.error`, {
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

  export interface SettlementResponseResultsSerialNumberFieldEvent {
    field: '$.results[].serialNumber'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface SettlementResponseResultsStatusFieldEvent {
    field: '$.results[].status'
    value: SettlementStatus
    index: number
  }

  export interface SettlementResponseResultsReasonFieldEvent {
    field: '$.results[].reason'
    value: string
    index: number
  }

  export interface SettlementResponseErrorCodeFieldEvent {
    field: '$.error.code'
    value: string
  }

  export interface SettlementResponseErrorMessageFieldEvent {
    field: '$.error.message'
    value: string
  }

  export function encode (obj: Partial<SettlementResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SettlementResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementResponse>): SettlementResponse {
    return decodeMessage(buf, SettlementResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SettlementResponse>): Generator<SettlementResponseResultsSerialNumberFieldEvent | SettlementResponseResultsStatusFieldEvent | SettlementResponseResultsReasonFieldEvent | SettlementResponseErrorCodeFieldEvent | SettlementResponseErrorMessageFieldEvent> {
    return streamMessage(buf, SettlementResponse.codec(), opts)
  }
}
