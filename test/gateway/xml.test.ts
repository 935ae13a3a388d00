// The gateway's XML request parsing: what S3 clients send, including Go's numeric references
// (rclone writes '"' as &#34;), and what it refuses.
import { describe, expect, it } from 'vitest';
import { parseXmlBody } from '../../src/gateway/xml.js';

describe('parseXmlBody', () => {
  it('decodes named and numeric references (rclone sends ETags as &#34;md5&#34;)', () => {
    const doc = parseXmlBody<{ Part: { ETag: string; PartNumber: string }[] }>(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><ETag>&#34;a1094aea&#34;</ETag><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>',
      'CompleteMultipartUpload'
    );
    expect(doc.Part).toEqual([{ ETag: '"a1094aea"', PartNumber: '1' }]);
    const keys = parseXmlBody<{ Object: { Key: string }[] }>('<Delete><Object><Key>a &amp; b &#x3C;c&#x3E; &quot;d&quot;</Key></Object></Delete>', 'Delete');
    expect(keys.Object[0]!.Key).toBe('a & b <c> "d"');
  });

  it('refuses a DOCTYPE, a wrong root and text that is not XML', () => {
    expect(() => parseXmlBody('<!DOCTYPE d [<!ENTITY x "xxxxxxxx">]><Delete><Object><Key>&x;</Key></Object></Delete>', 'Delete')).toThrow(/DOCTYPE/);
    expect(() => parseXmlBody('<Other/>', 'Delete')).toThrow(expect.objectContaining({ s3Code: 'MalformedXML' }) as Error);
    expect(() => parseXmlBody('<Delete><Object>', 'Delete')).toThrow(expect.objectContaining({ s3Code: 'MalformedXML' }) as Error);
  });
});
