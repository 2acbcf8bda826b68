import { describe, expect, it } from 'vitest';
import { isRefusal } from '../types.ts';
import { parseXml, type XmlElement } from './xml.ts';
import { serializeXml } from './xml-write.ts';

const parse = (s: string) => parseXml(new TextEncoder().encode(s), 'test.xml');
const roundTrip = (s: string) => new TextDecoder().decode(serializeXml(parse(s)));

function refused(s: string): string {
  try {
    parse(s);
  } catch (error) {
    if (isRefusal(error)) return `${error.reason}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('parseXml', () => {
  it('resolves namespaces, so a chosen prefix cannot hide an element', () => {
    const root = parse('<x:doc xmlns:x="urn:a" xmlns="urn:b"><child y:at="1" xmlns:y="urn:c"/></x:doc>');
    expect([root.ns, root.local]).toEqual(['urn:a', 'doc']);
    const child = root.children[0] as XmlElement;
    expect([child.ns, child.local]).toEqual(['urn:b', 'child']);
    expect(child.attributes.find((a) => a.local === 'at')?.ns).toBe('urn:c');
  });

  it('decodes the predefined entities and character references, and writes them back escaped', () => {
    const root = parse('<a t="&lt;&#10;&quot;">x &amp; &#x7533;&#35531; &gt; <![CDATA[<raw>]]></a>');
    expect(root.attributes[0]!.value).toBe('<\n"');
    expect((root.children[0] as { text: string }).text).toBe('x & 申請 > <raw>');
    expect(roundTrip('<a t="&lt;&#10;&quot;">x &amp; <![CDATA[<b>]]></a>')).toContain(
      '<a t="&lt;&#10;&quot;">x &amp; &lt;b&gt;</a>',
    );
  });

  it('reads UTF-16 with a BOM and writes UTF-8', () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('<?xml version="1.0" encoding="UTF-16"?><a>申請書</a>', 'utf16le'),
    ]);
    expect(new TextDecoder().decode(serializeXml(parseXml(utf16, 'u16.xml')))).toContain('<a>申請書</a>');
  });

  it('drops comments, processing instructions and whitespace outside the root', () => {
    expect(
      roundTrip('<?xml version="1.0"?>\n<!-- c --><?mso-application progid="x"?><a><!-- in --><b/></a>\n'),
    ).toBe('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a><b/></a>');
  });

  it.each([
    ['a DOCTYPE (XXE)', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', /DTD/],
    ['billion laughs', '<!DOCTYPE l [<!ENTITY l0 "ha"><!ENTITY l1 "&l0;&l0;">]><l>&l1;</l>', /DTD/],
    ['an undeclared entity', '<a>&nbsp;</a>', /undeclared entity/],
    ['a bare ampersand', '<a>fish & chips</a>', /bare/],
    ['an invalid character reference', '<a>&#0;</a>', /invalid character/],
    ['a mismatched tag', '<a><b></a></b>', /mismatched/],
    ['an unclosed element', '<a><b>', /ends inside/],
    ['two roots', '<a/><b/>', /more than one root/],
    ['trailing junk', '<a/>junk', /text outside/],
    ['a repeated attribute', '<a x="1" x="2"/>', /repeats/],
    ['an undeclared prefix', '<p:a/>', /undeclared prefix/],
    ['a control character', '<a>\u0001</a>', /characters XML does not allow/],
    ['an unsupported encoding', '<?xml version="1.0" encoding="Shift_JIS"?><a/>', /encoding/],
    ['no root', '<!-- nothing -->', /no root/],
  ])('refuses %s', (_what, xml, message) => {
    const r = refused(xml);
    expect(r).toMatch(/^malformed/);
    expect(r).toMatch(message);
  });

  it('refuses nesting beyond its depth limit without overflowing the stack', () => {
    expect(refused(`${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`)).toMatch(/deeper/);
  });
});
