// Which S3 operation a request is: from its method, bucket, key and query (S3's subresources).
import type { S3Context } from './context.js';
import { S3Error } from './errors.js';

export type Handler = (ctx: S3Context) => Promise<void>;

export interface Handlers {
  listBuckets: Handler;
  createBucket: Handler;
  deleteBucket: Handler;
  headBucket: Handler;
  getBucketLocation: Handler;
  getBucketVersioning: Handler;
  listObjectsV1: Handler;
  listObjectsV2: Handler;
  listObjectVersions: Handler;
  listMultipartUploads: Handler;
  deleteObjects: Handler;
  putObject: Handler;
  copyObject: Handler;
  getObject: Handler;
  headObject: Handler;
  deleteObject: Handler;
  createMultipartUpload: Handler;
  uploadPart: Handler;
  uploadPartCopy: Handler;
  completeMultipartUpload: Handler;
  abortMultipartUpload: Handler;
  listParts: Handler;
}

/** Subresources S3 has that this gateway does not: NotImplemented, never mistaken for a listing or a PUT. */
const UNSUPPORTED = [
  'accelerate', 'acl', 'analytics', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'lifecycle', 'logging', 'metrics',
  'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment',
  'restore', 'retention', 'legal-hold', 'select', 'tagging', 'torrent', 'website', 'attributes'
];

/** The handler of a request; NotImplemented or MethodNotAllowed when there is none. */
export function route(ctx: Pick<S3Context, 'method' | 'bucket' | 'key' | 'query' | 'headers'>, h: Handlers): Handler {
  const { method, bucket, key, query } = ctx;
  const has = (name: string): boolean => query.has(name);
  const unsupported = UNSUPPORTED.find(has);
  if (unsupported) throw new S3Error('NotImplemented', 501, `the ${unsupported} subresource is not implemented by this gateway`);
  if (bucket === '') {
    if (method === 'GET') return h.listBuckets;
    throw new S3Error('MethodNotAllowed', 405, `the ${method} method is not allowed against the service`);
  }
  if (key === '') {
    switch (method) {
      case 'PUT':
        if (has('versioning')) throw new S3Error('NotImplemented', 501, 'buckets are unversioned here: versioning cannot be set');
        return h.createBucket;
      case 'DELETE':
        return h.deleteBucket;
      case 'HEAD':
        return h.headBucket;
      case 'GET':
        if (has('location')) return h.getBucketLocation;
        if (has('versioning')) return h.getBucketVersioning;
        if (has('versions')) return h.listObjectVersions;
        if (has('uploads')) return h.listMultipartUploads;
        if (query.get('list-type') === '2') return h.listObjectsV2;
        return h.listObjectsV1;
      case 'POST':
        if (has('delete')) return h.deleteObjects;
        break;
    }
    throw new S3Error('MethodNotAllowed', 405, `the ${method} method is not allowed against a bucket${query.size ? ' with these parameters' : ''}`);
  }
  switch (method) {
    case 'PUT':
      if (has('uploadId') || has('partNumber')) return ctx.headers['x-amz-copy-source'] !== undefined ? h.uploadPartCopy : h.uploadPart;
      if (ctx.headers['x-amz-copy-source'] !== undefined) return h.copyObject;
      return h.putObject;
    case 'GET':
      if (has('uploadId')) return h.listParts;
      return h.getObject;
    case 'HEAD':
      return h.headObject;
    case 'DELETE':
      if (has('uploadId')) return h.abortMultipartUpload;
      return h.deleteObject;
    case 'POST':
      if (has('uploads')) return h.createMultipartUpload;
      if (has('uploadId')) return h.completeMultipartUpload;
      break;
  }
  throw new S3Error('MethodNotAllowed', 405, `the ${method} method is not allowed against an object${query.size ? ' with these parameters' : ''}`);
}
