import { Optional } from "@marcbachmann/cel-js";
import { describe, expect, it } from "vitest";
import { celEnvironment } from "./environment.ts";

const env = celEnvironment("plain");
const run = (expression: string, self: unknown = null): unknown => env.evaluate(expression, { self });

describe("CEL environment: core language", () => {
  it.each([
    ["has(self.a) && !has(self.b)", { a: 1n }],
    ["self.l.all(x, x > 0) && self.l.exists(x, x == 2) && self.l.exists_one(x, x == 3)", { l: [1n, 2n, 3n] }],
    ["self.l.map(x, x * 2) == [2, 4] && self.l.filter(x, x > 1) == [2]", { l: [1n, 2n] }],
    ["size(self.l) == 2 && self.l.size() == 2 && size('ab') == 2", { l: [1n, 2n] }],
    ["'a' in self && 2 in self.l", { a: 1n, l: [2n] }],
    ["'abc'.matches('^a.c$') && !'abd'.matches('^a.c$')", null],
    ["timestamp('2024-01-01T00:00:00Z') < timestamp('2024-01-02T00:00:00Z')", null],
    ["self.?missing.orValue(5) == 5 && optional.of(1).value() == 1 && !optional.none().hasValue()", {}],
  ])("%s", (expression, self) => {
    expect(run(expression, self)).toBe(true);
  });

  it("fails on a missing field with no such key", () => {
    expect(() => run("self.b == 1", { a: 1n })).toThrow(/No such key: b/);
  });
});

describe("CEL environment: strings extension", () => {
  it.each([
    ["'a,b'.split(',') == ['a', 'b']"],
    ["'AbC'.lowerAscii() == 'abc' && 'abc'.upperAscii() == 'ABC'"],
    ["' x '.trim() == 'x'"],
    ["'aXaXa'.replace('a', 'b') == 'bXbXb' && 'aXaXa'.replace('a', 'b', 2) == 'bXbXa'"],
    ["['a', 'b'].join('-') == 'a-b' && ['a', 'b'].join() == 'ab'"],
    ["'hello'.substring(1, 3) == 'el' && 'hello'.substring(3) == 'lo'"],
    ["'hello'.indexOf('l') == 2 && 'hello'.lastIndexOf('l') == 3"],
    ["'hello'.startsWith('he') && 'hello'.endsWith('lo') && 'hello'.contains('ell')"],
    ["'abc'.charAt(1) == 'b' && 'abc'.reverse() == 'cba'"],
  ])("%s", (expression) => {
    expect(run(expression)).toBe(true);
  });
});

describe("CEL environment: lists extension", () => {
  it.each([
    ["[1, 2, 2].isSorted() && ![2, 1].isSorted() && ['a', 'b'].isSorted()"],
    ["[1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0 && [].sum() == 0"],
    ["[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3"],
    ["[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && [1].indexOf(5) == -1"],
  ])("%s", (expression) => {
    expect(run(expression)).toBe(true);
  });

  it("fails min() of an empty list", () => {
    expect(() => run("[].min()")).toThrow(/min called on empty list/);
  });
});

describe("CEL environment: format library", () => {
  it.each([
    ["dns1123Subdomain", "example.com", "Example.com"],
    ["dns1123Label", "my-name", "my.name"],
    ["dns1035Label", "abc-123", "123-abc"],
    ["qualifiedName", "example.com/MyName", "-bad"],
    ["dns1123LabelPrefix", "my-prefix-", "My-"],
    ["labelValue", "", "-x"],
    ["uri", "https://example.com/x", "not a uri"],
    ["uuid", "123e4567-e89b-12d3-a456-426614174000", "xyz"],
    ["byte", "aGVsbG8=", "***"],
    ["date", "2024-02-29", "2023-02-29"],
    ["datetime", "2024-01-01T00:00:00Z", "yesterday"],
  ])("format.%s() accepts %j and rejects %j", (name, good, bad) => {
    expect(run(`format.${name}().validate(self).hasValue()`, good)).toBe(false);
    expect(run(`format.${name}().validate(self).value().size() > 0`, bad)).toBe(true);
  });

  it("answers Kubernetes' messages", () => {
    expect(run("format.dns1123Label().validate(self).value()", "A".repeat(64))).toEqual([
      "must be no more than 63 characters",
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
    expect(run("format.qualifiedName().validate(self).value()", "/x")).toEqual([
      "prefix part must be non-empty",
    ]);
  });

  it("looks formats up by name", () => {
    expect(run("format.named('dns1123Label').hasValue() && !format.named('nope').hasValue()")).toBe(true);
    expect(run("format.named('dns1123Label').value().validate('ok').hasValue()")).toBe(false);
  });
});

describe("CEL environment: IP, CIDR and URL libraries", () => {
  it.each([
    [
      "isIP('10.0.0.1') && isIP('2001:db8::1') && !isIP('010.0.0.1') && !isIP('::ffff:10.0.0.1') && !isIP('fe80::1%eth0')",
    ],
    ["ip('10.0.0.1').family() == 4 && ip('::1').family() == 6 && ip('127.0.0.1').isLoopback()"],
    ["isCIDR('10.0.0.0/8') && !isCIDR('10.0.0.0/33') && !isCIDR('10.0.0.0')"],
    ["cidr('10.0.0.0/8').containsIP('10.2.3.4') && !cidr('10.0.0.0/8').containsIP(ip('11.0.0.1'))"],
    ["cidr('10.0.0.0/8').containsCIDR('10.1.0.0/16') && cidr('10.1.2.3/8').masked() == cidr('10.0.0.0/8')"],
    ["cidr('2001:db8::/32').prefixLength() == 32 && string(cidr('10.0.0.0/8').ip()) == '10.0.0.0'"],
    ["isURL('https://example.com:8443/a') && !isURL('example.com') && isURL('/absolute/path')"],
    [
      "url('https://example.com:8443/a').getScheme() == 'https' && url('https://example.com:8443/a').getPort() == '8443'",
    ],
    [
      "url('https://example.com/a%20b').getHostname() == 'example.com' && url('https://example.com/a').getEscapedPath() == '/a'",
    ],
  ])("%s", (expression) => {
    expect(run(expression)).toBe(true);
  });

  it("fails ip() of an invalid address", () => {
    expect(() => run("ip('nope')")).toThrow(/parse error/);
  });
});

describe("CEL environment: optional oldSelf", () => {
  it("types oldSelf as optional", () => {
    const optional = celEnvironment("optional");
    const rule = "oldSelf.hasValue() && oldSelf.a.value() == self.a";
    expect(optional.evaluate(rule, { self: { a: 1n }, oldSelf: Optional.none() })).toBe(false);
    expect(optional.evaluate(rule, { self: { a: 1n }, oldSelf: Optional.of({ a: 1n }) })).toBe(true);
  });
});
