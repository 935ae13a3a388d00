// S3's XML bodies: built and parsed with fast-xml-parser (a well-kept library: entities escaped on
// output, no DTDs or external entities read on input).
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { S3Error } from './errors.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false, processEntities: true });
// htmlEntities: numeric character references too (Go's encoder, rclone's, writes '"' as &#34;).
const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, trimValues: false, processEntities: true, htmlEntities: true, isArray: (name) => name === 'Object' || name === 'Part' });

/** A document whose root element is `root` (in S3's namespace unless `namespace` is false). */
export function xmlDocument(root: string, body: Record<string, unknown>, namespace = true): string {
  return DECLARATION + builder.build({ [root]: namespace ? { '@_xmlns': S3_XMLNS, ...body } : body });
}

/** S3's error body. */
export function errorDocument(code: string, message: string, resource: string, requestId: string, extra: Record<string, string> = {}): string {
  return xmlDocument('Error', { Code: code, Message: message, Resource: resource, RequestId: requestId, ...extra }, false);
}

/** A request body parsed; MalformedXML when it is not XML or lacks the root element. */
export function parseXmlBody<T>(text: string, root: string): T {
  let doc: Record<string, unknown>;
  // S3's bodies have no DTD: none is read (no entity of the body's own making is expanded).
  if (/<!DOCTYPE/i.test(text)) throw new S3Error('MalformedXML', 400, 'the XML you provided was not well-formed: a DOCTYPE is not allowed');
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch (err) {
    throw new S3Error('MalformedXML', 400, `the XML you provided was not well-formed: ${(err as Error).message.slice(0, 200)}`);
  }
  const body = doc[root];
  if (body === undefined || body === null || typeof body !== 'object') {
    if (body === '') return {} as T;
    throw new S3Error('MalformedXML', 400, `the XML you provided has no ${root} element`);
  }
  return body as T;
}
