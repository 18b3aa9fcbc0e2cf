// Goal: the parser accepts exactly what Meilisearch's filter-parser accepts,
// builds the same tree, and refuses the rest with the same message and the
// same `col:col filter` position line.
// Method: table tests taken from Meilisearch's own parser snapshots
// (crates/filter-parser/src/lib.rs, value.rs) and integration tests, compared
// through a printer that mimics its tree Display.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter, FilterParseError } from '../../../../../api/protocol/filter/parse.ts';
import { describeTree } from './describe.ts';

function tree(input: unknown): string {
  const e = parseFilter(input);
  assert.ok(e, `expected a filter for ${JSON.stringify(input)}`);
  return describeTree(e);
}

function refusal(input: unknown): FilterParseError {
  try {
    parseFilter(input);
  } catch (error) {
    assert.ok(error instanceof FilterParseError, `not a FilterParseError: ${String(error)}`);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be refused`);
}

const OPS = 'Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`';
const GEO = "is a reserved keyword and thus can't be used as a filter expression. Use the `_geoRadius(latitude, longitude, distance)` or `_geoBoundingBox([latitude, longitude], [latitude, longitude])` built-in rules to filter on `_geo` coordinates.";

const TREES: Array<[string, string]> = [
  ['channel = Ponce', '{channel} = {Ponce}'],
  ['subscribers = 12', '{subscribers} = {12}'],
  ["channel = 'Mister Mv'", '{channel} = {Mister Mv}'],
  ['channel = "Mister Mv"', '{channel} = {Mister Mv}'],
  ["'dog race' = Borzoi", '{dog race} = {Borzoi}'],
  ['"dog race" = \'Bernese Mountain\'', '{dog race} = {Bernese Mountain}'],
  ['colour IN[]', '{colour} IN[]'],
  ['colour IN[green]', '{colour} IN[{green}, ]'],
  ['colour IN[green,]', '{colour} IN[{green}, ]'],
  ['colour NOT IN[green,blue]', 'NOT ({colour} IN[{green}, {blue}, ])'],
  [' colour IN [  green , blue , ]', '{colour} IN[{green}, {blue}, ]'],
  [' colour IN [green, blue]  AND color = green ', 'AND[{colour} IN[{green}, {blue}, ], {color} = {green}, ]'],
  ['NOT (colour IN [green, blue])  AND color = green ', 'AND[NOT ({colour} IN[{green}, {blue}, ]), {color} = {green}, ]'],
  ['x = 1 OR NOT (colour IN [green, blue]  OR color = green) ', 'OR[{x} = {1}, NOT (OR[{colour} IN[{green}, {blue}, ], {color} = {green}, ]), ]'],
  [' (colour = green OR colour = red) ', 'OR[{colour} = {green}, {colour} = {red}, ]'],
  [' colour NOT  IN [green, blue] ', 'NOT ({colour} IN[{green}, {blue}, ])'],
  ['channel != ponce', '{channel} != {ponce}'],
  ['NOT channel = ponce', 'NOT ({channel} = {ponce})'],
  ['subscribers < 1000', '{subscribers} < {1000}'],
  ['subscribers > 1000', '{subscribers} > {1000}'],
  ['subscribers <= 1000', '{subscribers} <= {1000}'],
  ['subscribers >= 1000', '{subscribers} >= {1000}'],
  ['subscribers 100 TO 1000', '{subscribers} {100} TO {1000}'],
  ['NOT subscribers 100 TO 1000', 'NOT ({subscribers} {100} TO {1000})'],
  ['subscribers IS NULL', '{subscribers} IS NULL'],
  ['subscribers IS NOT NULL', 'NOT ({subscribers} IS NULL)'],
  ['NOT subscribers IS NOT NULL', '{subscribers} IS NULL'],
  ['subscribers  IS   NOT   NULL', 'NOT ({subscribers} IS NULL)'],
  ['subscribers IS EMPTY', '{subscribers} IS EMPTY'],
  ['subscribers IS NOT EMPTY', 'NOT ({subscribers} IS EMPTY)'],
  ['NOT subscribers IS NOT EMPTY', '{subscribers} IS EMPTY'],
  ['subscribers EXISTS', '{subscribers} EXISTS'],
  ['subscribers NOT EXISTS', 'NOT ({subscribers} EXISTS)'],
  ['NOT subscribers NOT EXISTS', '{subscribers} EXISTS'],
  ['subscribers NOT   EXISTS', 'NOT ({subscribers} EXISTS)'],
  ['NOT NOT NOT NOT x = 5', '{x} = {5}'],
  ['NOT NOT (NOT NOT x = 5)', '{x} = {5}'],
  ['_geoRadius(12, 13, 14)', '_geoRadius({12}, {13}, {14})'],
  ['NOT _geoRadius(12, 13, 14)', 'NOT (_geoRadius({12}, {13}, {14}))'],
  ['_geoRadius(12,13,14)', '_geoRadius({12}, {13}, {14})'],
  ['_geoBoundingBox([12, 13], [14, 15])', '_geoBoundingBox([{12}, {13}], [{14}, {15}])'],
  ['NOT _geoBoundingBox([12, 13], [14, 15])', 'NOT (_geoBoundingBox([{12}, {13}], [{14}, {15}]))'],
  ['_geoBoundingBox([12,13],[14,15])', '_geoBoundingBox([{12}, {13}], [{14}, {15}])'],
  ["channel = ponce AND 'dog race' != 'bernese mountain' OR subscribers > 1000", 'OR[AND[{channel} = {ponce}, {dog race} != {bernese mountain}, ], {subscribers} > {1000}, ]'],
  ["channel = ponce AND 'dog race' != 'bernese mountain' OR subscribers > 1000 OR colour = red OR colour = blue AND size = 7", 'OR[AND[{channel} = {ponce}, {dog race} != {bernese mountain}, ], {subscribers} > {1000}, {colour} = {red}, AND[{colour} = {blue}, {size} = {7}, ], ]'],
  ["channel = ponce AND ( 'dog race' != 'bernese mountain' OR subscribers > 1000 )", 'AND[{channel} = {ponce}, OR[{dog race} != {bernese mountain}, {subscribers} > {1000}, ], ]'],
  ["(channel = ponce AND 'dog race' != 'bernese mountain' OR subscribers > 1000) AND _geoRadius(12, 13, 14)", 'AND[OR[AND[{channel} = {ponce}, {dog race} != {bernese mountain}, ], {subscribers} > {1000}, ], _geoRadius({12}, {13}, {14}), ]'],
  [`${'('.repeat(49)}x = 1${')'.repeat(49)}`, '{x} = {1}'],
  [`${'NOT '.repeat(197)}x = 1`, 'NOT ({x} = {1})'],
  ['NOT "OR" EXISTS AND "EXISTS" NOT EXISTS', 'AND[NOT ({OR} EXISTS), NOT ({EXISTS} EXISTS), ]'],
  ['a.b.c = 1', '{a.b.c} = {1}'],
];

test('valid filters build the trees Meilisearch builds', () => {
  for (const [input, expected] of TREES) assert.equal(tree(input), expected, input);
});

const ESCAPES: Array<[string, string]> = [
  [String.raw`title = 'foo\\'`, String.raw`foo\ `.trim()],
  [String.raw`title = 'foo\\\\'`, String.raw`foo\\ `.trim()],
  [String.raw`title = 'foo\x20\n\t\"\'"'`, 'foo \n\t"\'"'],
  [String.raw`x = "Hello \"world\""`, 'Hello "world"'],
  [String.raw`x = "Hello \\\"world\\\""`, String.raw`Hello \"world\"`],
  [String.raw`x = 'I\'m "super" tamo'`, `I'm "super" tamo`],
  [String.raw`x = "\"\""`, '""'],
  [String.raw`x = '\u{1F43B}\u00e9\101'`, '🐻éA'],
  [`x = ""`, ''],
];

test('quoted values are unescaped as Meilisearch does', () => {
  for (const [input, expected] of ESCAPES) {
    const e = parseFilter(input);
    assert.ok(e && e.kind === 'compare', input);
    assert.equal(e.value.value, expected, input);
  }
});

test('token spans point into the source string', () => {
  const e = parseFilter("  'dog race' = \"Bernese\"");
  assert.ok(e && e.kind === 'compare');
  assert.deepEqual([e.field.start, e.field.end, e.value.start, e.value.end], [3, 11, 16, 23]);
  assert.equal(e.field.source, "  'dog race' = \"Bernese\"");
});

const ERRORS: Array<[string, string]> = [
  ['channel = Ponce = 12', 'Found unexpected characters at the end of the filter: `= 12`. You probably forgot an `OR` or an `AND` rule.\n17:21 channel = Ponce = 12'],
  ['channel =    ', 'Was expecting a value but instead got nothing.\n14:14 channel =    '],
  ['channel = 🐻', 'Was expecting a value but instead got `🐻`.\n11:12 channel = 🐻'],
  ['channel = 🐻 AND followers < 100', 'Was expecting a value but instead got `🐻`.\n11:12 channel = 🐻 AND followers < 100'],
  ["'OR'", `${OPS} at \`\\'OR\\'\`.\n1:5 'OR'`],
  ['OR', 'Was expecting a value but instead got `OR`, which is a reserved keyword. To use `OR` as a field name or a value, surround it by quotes.\n1:3 OR'],
  ['channel Ponce', `${OPS} at \`channel Ponce\`.\n1:14 channel Ponce`],
  ['channel = Ponce OR', `${OPS} but instead got nothing.\n19:19 channel = Ponce OR`],
  ['_geoRadius', 'The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.\n1:11 _geoRadius'],
  ['_geoRadius = 12', 'The `_geoRadius` filter expects three arguments: `_geoRadius(latitude, longitude, radius)`.\n1:16 _geoRadius = 12'],
  ['_geoBoundingBox', 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.\n1:16 _geoBoundingBox'],
  ['_geoBoundingBox = 12', 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.\n1:21 _geoBoundingBox = 12'],
  ['_geoBoundingBox(1.0, 1.0)', 'The `_geoBoundingBox` filter expects two pairs of arguments: `_geoBoundingBox([latitude, longitude], [latitude, longitude])`.\n1:26 _geoBoundingBox(1.0, 1.0)'],
  ['_geoPoint(12, 13, 14)', `\`_geoPoint\` ${GEO}\n1:22 _geoPoint(12, 13, 14)`],
  ['position <= _geoPoint(12, 13, 14)', `\`_geoPoint\` ${GEO}\n13:34 position <= _geoPoint(12, 13, 14)`],
  ['_geoDistance(12, 13, 14)', `\`_geoDistance\` ${GEO}\n1:25 _geoDistance(12, 13, 14)`],
  ['position <= _geoDistance(12, 13, 14)', `\`_geoDistance\` ${GEO}\n13:37 position <= _geoDistance(12, 13, 14)`],
  ['_geo(12, 13, 14)', `\`_geo\` ${GEO}\n1:17 _geo(12, 13, 14)`],
  ['position <= _geo(12, 13, 14)', `\`_geo\` ${GEO}\n13:29 position <= _geo(12, 13, 14)`],
  ['position <= _geoRadius(12, 13, 14)', "The `_geoRadius` filter is an operation and can't be used as a value.\n13:35 position <= _geoRadius(12, 13, 14)"],
  ["channel = 'ponce", "Expression `\\'ponce` is missing the following closing delimiter: `'`.\n11:17 channel = 'ponce"],
  ['channel = "ponce', 'Expression `\\"ponce` is missing the following closing delimiter: `"`.\n11:17 channel = "ponce'],
  ['channel = mv OR (followers >= 1000', 'Expression `(followers >= 1000` is missing the following closing delimiter: `)`.\n17:35 channel = mv OR (followers >= 1000'],
  ['channel = mv OR followers >= 1000)', 'Found unexpected characters at the end of the filter: `)`. You probably forgot an `OR` or an `AND` rule.\n34:35 channel = mv OR followers >= 1000)'],
  ['colour NOT EXIST', `${OPS} at \`colour NOT EXIST\`.\n1:17 colour NOT EXIST`],
  ['subscribers 100 TO1000', `${OPS} at \`subscribers 100 TO1000\`.\n1:23 subscribers 100 TO1000`],
  ["channel = ponce ORdog != 'bernese mountain'", "Found unexpected characters at the end of the filter: `ORdog != \\'bernese mountain\\'`. You probably forgot an `OR` or an `AND` rule.\n17:44 channel = ponce ORdog != 'bernese mountain'"],
  ['colour IN blue, green]', 'Expected `[` after `IN` keyword.\n11:23 colour IN blue, green]'],
  ["colour IN [blue, green, 'blue' > 2]", "Expected only comma-separated field names inside `IN[..]` but instead found `> 2]`.\n32:36 colour IN [blue, green, 'blue' > 2]"],
  ['colour IN [blue, green, AND]', 'Expected only comma-separated field names inside `IN[..]` but instead found `AND]`.\n25:29 colour IN [blue, green, AND]'],
  ['colour IN [blue, green', 'Expected matching `]` after the list of field names given to `IN[`\n23:23 colour IN [blue, green'],
  ["colour IN ['blue, green", "Expression `\\'blue, green` is missing the following closing delimiter: `'`.\n12:24 colour IN ['blue, green"],
  ['x = EXISTS', 'Was expecting a value but instead got `EXISTS`, which is a reserved keyword. To use `EXISTS` as a field name or a value, surround it by quotes.\n5:11 x = EXISTS'],
  ['AND = 8', 'Was expecting a value but instead got `AND`, which is a reserved keyword. To use `AND` as a field name or a value, surround it by quotes.\n1:4 AND = 8'],
  [`${'('.repeat(50)}x = 1${')'.repeat(50)}`, `The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.\n51:106 ${'('.repeat(50)}x = 1${')'.repeat(50)}`],
  [`${'NOT '.repeat(199)}x = 1`, `The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.\n797:802 ${'NOT '.repeat(199)}x = 1`],
  ['NOT OR EXISTS AND EXISTS NOT EXISTS', 'Was expecting a value but instead got `OR`, which is a reserved keyword. To use `OR` as a field name or a value, surround it by quotes.\n5:7 NOT OR EXISTS AND EXISTS NOT EXISTS'],
  ['value NULL', `${OPS} at \`value NULL\`.\n1:11 value NULL`],
  ['value NOT NULL', `${OPS} at \`value NOT NULL\`.\n1:15 value NOT NULL`],
  ['value EMPTY', `${OPS} at \`value EMPTY\`.\n1:12 value EMPTY`],
  ['value IS', `${OPS} at \`value IS\`.\n1:9 value IS`],
  ['value IS NOT EXISTS', `${OPS} at \`value IS NOT EXISTS\`.\n1:20 value IS NOT EXISTS`],
  ['title & Glass', `${OPS} at \`title & Glass\`.\n1:14 title & Glass`],
  ['doggo', `${OPS} at \`doggo\`.\n1:6 doggo`],
  [String.raw`x = '\xZZ'`, "Found an invalid escaped sequence number: `\\\\xZZ`.\n6:10 x = '\\xZZ'"],
  [String.raw`x = '\q'`, "Malformed value: `\\\\q`.\n6:8 x = '\\q'"],
];

test('invalid filters are refused with Meilisearch messages and positions', () => {
  for (const [input, expected] of ERRORS) {
    const error = refusal(input);
    assert.equal(error.message, expected, input);
    assert.equal(error.code, null);
  }
});

test('CONTAINS and STARTS WITH answer feature_not_enabled, pointing at the keyword', () => {
  const message = 'Using `CONTAINS` or `STARTS WITH` in a filter requires enabling the `contains filter` experimental feature. See https://github.com/orgs/meilisearch/discussions/763';
  const cases: Array<[unknown, string]> = [
    ['doggo CONTAINS kefir', '7:15 doggo CONTAINS kefir'],
    ['doggo != echo AND doggo CONTAINS kefir', '25:33 doggo != echo AND doggo CONTAINS kefir'],
    [['doggo != echo', 'doggo CONTAINS kefir'], '7:15 doggo CONTAINS kefir'],
    [['doggo != echo', ['doggo CONTAINS kefir']], '7:15 doggo CONTAINS kefir'],
    ["title NOT STARTS WITH 'a'", '11:22 title NOT STARTS WITH \'a\''],
  ];
  for (const [input, position] of cases) {
    const error = refusal(input);
    assert.equal(error.message, `${message}\n${position}`);
    assert.equal(error.code, 'feature_not_enabled');
  }
});

test('the array form is outer AND, inner OR, strings only', () => {
  assert.equal(tree(['a = 1', ['b = 2', 'c = 3'], 'd > 4']), 'AND[{a} = {1}, OR[{b} = {2}, {c} = {3}, ], {d} > {4}, ]');
  assert.equal(tree(['a = 1']), '{a} = {1}');
  assert.equal(tree([['a = 1'], '  ']), '{a} = {1}');
  assert.equal(parseFilter([]), null);
  assert.equal(parseFilter(['', ['  ']]), null);
  assert.equal(parseFilter('   '), null);
  assert.equal(parseFilter(null), null);
  const invalid: Array<[unknown, string]> = [
    [12, 'expected String, Array, found: 12'],
    [{ a: 1 }, 'expected String, Array, found: {"a":1}'],
    [true, 'expected String, Array, found: true'],
    [['a = 1', 3], 'expected String, [String], found: 3'],
    [['a = 1', [['b = 1']]], 'expected String, found: ["b = 1"]'],
    [[['a = 1', null]], 'expected String, found: null'],
  ];
  for (const [input, inner] of invalid) {
    assert.equal(refusal(input).message, `Invalid syntax for the filter parameter: \`${inner}\`.`);
  }
  // Type errors win over a syntax error in an earlier string.
  assert.match(refusal(['a =', 3]).message, /^Invalid syntax/);
  // A syntax error in a later string wins over CONTAINS in an earlier one.
  assert.equal(refusal(['a CONTAINS b', 'c =']).code, null);
});

test('geo expressions keep their argument tokens; range checks are left to evaluation', () => {
  const e = parseFilter('_geoRadius(100, -1e400, 5)');
  assert.ok(e && e.kind === 'geoRadius');
  assert.deepEqual([e.lat, e.lng, e.radiusMeters], [100, -Infinity, 5]);
  assert.deepEqual(e.args.map((t) => t.value), ['100', '-1e400', '5']);
  assert.equal(e.token, e.args[0]);
  // nom's recognize_float does not allow a trailing space after the call.
  assert.match(refusal('_geoRadius(1, 2, 3) ').message, /^Found unexpected characters/);
  assert.match(refusal('_geoRadius(1, 2)').message, /^The `_geoRadius` filter expects three arguments/);
  assert.match(refusal('_geoRadius(1, 2, 3, 4, 5)').message, /^The `_geoRadius` filter expects three arguments/);
  const withResolution = parseFilter('_geoRadius(1, 2, 3, 40)');
  assert.ok(withResolution?.kind === 'geoRadius');
  assert.equal(withResolution.resolution?.value, '40');
  assert.equal(e.resolution, null);
});
