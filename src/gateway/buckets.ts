// Bucket operations: ListBuckets, CreateBucket, DeleteBucket, HeadBucket, GetBucketLocation.
import { isoTime, sendEmpty, sendXml, type S3Context } from './context.js';
import { S3Error } from './errors.js';
import { readSmallBody } from './body.js';
import { parseXmlBody } from './xml.js';

/** The owner every listing names: the access's project is not an AWS account. */
export const OWNER = { ID: 'stowage', DisplayName: 'stowage' };

export async function listBuckets(ctx: S3Context): Promise<void> {
  ctx.operation('ListBuckets');
  const buckets = await ctx.client.listBuckets();
  sendXml(ctx, 200, 'ListAllMyBucketsResult', {
    Owner: OWNER,
    Buckets: { Bucket: buckets.map((b) => ({ Name: b.name, CreationDate: isoTime(b.created) })) }
  });
}

export async function createBucket(ctx: S3Context): Promise<void> {
  ctx.operation('CreateBucket');
  // The body may name a location constraint: any is accepted as the gateway's own region.
  const body = await readSmallBody(ctx.payload(), 64 * 1024);
  if (body.length > 0) {
    const conf = parseXmlBody<{ LocationConstraint?: string }>(body.toString('utf8'), 'CreateBucketConfiguration');
    const wanted = conf.LocationConstraint;
    if (typeof wanted === 'string' && wanted !== '' && wanted !== ctx.config.region) {
      throw new S3Error('IllegalLocationConstraintException', 400, `the ${wanted} location constraint is incompatible with this gateway's region ${ctx.config.region}`);
    }
  }
  await ctx.client.createBucket(ctx.bucket);
  sendEmpty(ctx, 200, { location: `/${ctx.bucket}` });
}

export async function deleteBucket(ctx: S3Context): Promise<void> {
  ctx.operation('DeleteBucket');
  await ctx.client.deleteBucket(ctx.bucket);
  sendEmpty(ctx, 204);
}

/** Whether the bucket exists for this access: NoSuchBucket when not. */
export async function requireBucket(ctx: S3Context): Promise<void> {
  await ctx.client.listPage(ctx.bucket, { limit: 1 });
}

export async function headBucket(ctx: S3Context): Promise<void> {
  ctx.operation('HeadBucket');
  await requireBucket(ctx);
  sendEmpty(ctx, 200, { 'x-amz-bucket-region': ctx.config.region });
}

export async function getBucketLocation(ctx: S3Context): Promise<void> {
  ctx.operation('GetBucketLocation');
  await requireBucket(ctx);
  // us-east-1 is answered as an empty constraint, as S3 does.
  sendXml(ctx, 200, 'LocationConstraint', ctx.config.region === 'us-east-1' ? {} : { '#text': ctx.config.region });
}
