import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
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
