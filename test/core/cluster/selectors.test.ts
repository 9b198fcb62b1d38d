// Label and field selectors: what they select, how they print, and the exact sentences a real
// apiserver answers a malformed one with.
import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  formatLabels,
  groupVersionResourceString,
  kubectlListError,
  labelSelectorAsString,
  mapSelectorAsString,
  parseFieldSelector,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromMap,
  wordingForFields,
} from '../../../src/core/cluster/selectors.js';
import { rejection } from '../../helpers/errors.js';

const QNAME_REGEX_DETAIL =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('parseLabelSelector', () => {
  it('matches equality requirements only when the label is present with that value', () => {
    const s = parseLabelSelector('app=nginx');
    expect(s.matches({ app: 'nginx', tier: 'web' })).toBe(true);
    expect(s.matches({ app: 'redis' })).toBe(false);
    expect(s.matches({})).toBe(false);
    expect(s.matches(undefined)).toBe(false);
  });

  it('treats == as = but prints it as written', () => {
    const s = parseLabelSelector('app==nginx');
    expect(s.matches({ app: 'nginx' })).toBe(true);
    expect(s.toString()).toBe('app==nginx');
  });

  it('lets != match objects that lack the label altogether', () => {
    const s = parseLabelSelector('env!=prod');
    expect(s.matches({ env: 'dev' })).toBe(true);
    expect(s.matches({})).toBe(true);
    expect(s.matches({ env: 'prod' })).toBe(false);
  });

  it('matches set-based "in" requirements against the label value', () => {
    const s = parseLabelSelector('env in (dev,prod)');
    expect(s.matches({ env: 'prod' })).toBe(true);
    expect(s.matches({ env: 'qa' })).toBe(false);
    expect(s.matches({})).toBe(false);
  });

  it('matches "notin" when the value is outside the set or the label is missing', () => {
    const s = parseLabelSelector('env notin (prod)');
    expect(s.matches({ env: 'dev' })).toBe(true);
    expect(s.matches({})).toBe(true);
    expect(s.matches({ env: 'prod' })).toBe(false);
  });

  it('reads a bare key as "exists" and !key as "does not exist"', () => {
    expect(parseLabelSelector('tier').matches({ tier: '' })).toBe(true);
    expect(parseLabelSelector('tier').matches({})).toBe(false);
    expect(parseLabelSelector('!tier').matches({})).toBe(true);
    expect(parseLabelSelector('!tier').matches({ tier: 'web' })).toBe(false);
  });

  it('requires every comma-joined requirement and tolerates whitespace around them', () => {
    const s = parseLabelSelector('  app = nginx ,  env in ( dev , prod ), !canary ');
    expect(s.matches({ app: 'nginx', env: 'dev' })).toBe(true);
    expect(s.matches({ app: 'nginx', env: 'dev', canary: 'true' })).toBe(false);
    expect(s.matches({ app: 'nginx', env: 'qa' })).toBe(false);
  });

  it('compares gt and lt requirements as integers', () => {
    expect(parseLabelSelector('replicas>2').matches({ replicas: '10' })).toBe(true);
    expect(parseLabelSelector('replicas>2').matches({ replicas: '2' })).toBe(false);
    expect(parseLabelSelector('replicas<2').matches({ replicas: 'two' })).toBe(false);
  });

  it('selects everything when the selector is empty', () => {
    const s = parseLabelSelector('');
    expect(s.empty()).toBe(true);
    expect(s.matches({})).toBe(true);
  });

  it('prints requirements sorted by key with set values sorted', () => {
    expect(parseLabelSelector('tier in (web,api),app=nginx,!canary').toString()).toBe('app=nginx,!canary,tier in (api,web)');
  });

  it('reads "()" and doubled commas in a set as the empty value', () => {
    expect(parseLabelSelector('env in ()').requirements[0]!.values).toEqual(['']);
    expect(parseLabelSelector('env in (a,,b)').requirements[0]!.values).toEqual(['', 'a', 'b']);
  });

  it('lets "in" be a value inside a set', () => {
    expect(parseLabelSelector('word in (in,notin)').matches({ word: 'notin' })).toBe(true);
  });

  it('answers an invalid key with 400 BadRequest and the <nil> field path real clusters print', () => {
    const err = rejection(() => parseLabelSelector('app:monolith'));
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(err.message).toBe(`unable to parse requirement: <nil>: Invalid value: "app:monolith": name part ${QNAME_REGEX_DETAIL}`);
  });

  it('explains a key with too many slashes as a qualified name', () => {
    expect(rejection(() => parseLabelSelector('a/b/c ?=? def')).message).toBe(
      `unable to parse requirement: <nil>: Invalid value: "a/b/c": a qualified name ${QNAME_REGEX_DETAIL} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    );
  });

  it('explains an invalid value with the values[i][key] field path', () => {
    expect(rejection(() => parseLabelSelector('app=web_')).message).toBe(
      `unable to parse requirement: values[0][app]: Invalid value: "web_": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  });

  it('lists the operators it expected when it finds something else', () => {
    expect(rejection(() => parseLabelSelector('type=app,versionv1.0.1)')).message).toBe("unable to parse requirement: found ')', expected: in, notin, =, ==, !=, gt, lt");
    expect(rejection(() => parseLabelSelector('env IN (a)')).message).toBe("unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt");
  });

  it('words misplaced commas and trailing junk as the parser does', () => {
    expect(rejection(() => parseLabelSelector(',app')).message).toBe("found ',', expected: !, identifier, or 'end of string'");
    expect(rejection(() => parseLabelSelector('app,')).message).toBe("found '', expected: identifier after ','");
    expect(rejection(() => parseLabelSelector('app=a b')).message).toBe("found 'b', expected: ',' or 'end of string'");
    expect(rejection(() => parseLabelSelector('env in a')).message).toBe("unable to parse requirement: found 'a' expected: '('");
    expect(rejection(() => parseLabelSelector('env in (a b)')).message).toBe("unable to parse requirement: found 'b', expected: ',' or ')'");
  });

  it('rejects a non-integer bound for gt', () => {
    expect(rejection(() => parseLabelSelector('replicas>two')).message).toBe(
      `unable to parse requirement: values[0]: Invalid value: "two": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  });
});

describe('selectorFromLabelSelector', () => {
  it('combines matchLabels and matchExpressions', () => {
    const s = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'In', values: ['dev', 'qa'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'tier', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    });
    expect(s.matches({ app: 'web', env: 'qa', tier: 'x', zone: 'a' })).toBe(true);
    expect(s.matches({ app: 'web', env: 'qa', tier: 'x', canary: '1' })).toBe(false);
    expect(s.matches({ app: 'web', env: 'prod', tier: 'x' })).toBe(false);
    expect(s.matches({ app: 'web', env: 'qa' })).toBe(false);
  });

  it('selects everything with an empty selector but nothing with an absent one', () => {
    expect(selectorFromLabelSelector({}).matches({ any: 'thing' })).toBe(true);
    expect(selectorFromLabelSelector({}).empty()).toBe(true);
    expect(selectorFromLabelSelector(null).matches({ any: 'thing' })).toBe(false);
    expect(selectorFromLabelSelector(undefined).matches({})).toBe(false);
    expect(selectorFromLabelSelector(undefined).selectable).toBe(false);
  });

  it('selects nothing and says why when an operator is unknown', () => {
    const s = selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['b'] }] });
    expect(s.matches({ a: 'b' })).toBe(false);
    expect(s.error).toBe('"Equals" is not a valid label selector operator');
  });

  it('refuses an In expression without values', () => {
    const s = selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] });
    expect(s.error).toBe("values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty");
    const t = selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] });
    expect(t.error).toBe('values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist');
  });
});

describe('selector strings', () => {
  it('prints a LabelSelector as the SELECTOR column shows it', () => {
    expect(labelSelectorAsString({ matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] })).toBe('app=nginx,tier in (web)');
    expect(labelSelectorAsString({ matchExpressions: [{ key: 'b', operator: 'DoesNotExist' }, { key: 'a', operator: 'Exists' }] })).toBe('a,!b');
  });

  it('formats empty and absent selectors as <none> for table cells', () => {
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector(null)).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] })).toBe('<error>');
    expect(labelSelectorAsString({})).toBe('');
  });

  it('prints a map selector with its keys sorted', () => {
    expect(mapSelectorAsString({ tier: 'web', app: 'nginx' })).toBe('app=nginx,tier=web');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('matches a map selector like its equality requirements', () => {
    expect(selectorFromMap({ app: 'nginx' }).matches({ app: 'nginx', x: 'y' })).toBe(true);
    expect(selectorFromMap({ app: 'nginx' }).matches({ app: 'web' })).toBe(false);
  });
});

describe('parseFieldSelector', () => {
  const supported = ['metadata.name', 'metadata.namespace', 'status.phase'];
  const pod = (fields: Record<string, string>) => (f: string) => fields[f];

  it('matches =, == and != terms against the field values', () => {
    const s = parseFieldSelector('status.phase!=Running,metadata.name==web', supported);
    expect(s.matches(pod({ 'metadata.name': 'web', 'status.phase': 'Pending' }))).toBe(true);
    expect(s.matches(pod({ 'metadata.name': 'web', 'status.phase': 'Running' }))).toBe(false);
    expect(parseFieldSelector('metadata.name=web', supported).matches(pod({ 'metadata.name': 'db' }))).toBe(false);
  });

  it('treats a missing field as the empty string', () => {
    expect(parseFieldSelector('status.phase=', supported).matches(pod({}))).toBe(true);
    expect(parseFieldSelector('status.phase!=Running', supported).matches(pod({}))).toBe(true);
  });

  it('unescapes backslash-escaped commas, equals signs and backslashes in values', () => {
    const s = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d', supported);
    expect(s.terms[0]!.value).toBe('a,b=c\\d');
    expect(s.toString()).toBe('metadata.name=a\\,b\\=c\\\\d');
  });

  it('selects everything when empty', () => {
    expect(parseFieldSelector('', supported).empty()).toBe(true);
  });

  it('answers an unsupported field with 400 and "field label not supported"', () => {
    const err = rejection(() => parseFieldSelector('foo=bar', supported));
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'field label not supported: foo' });
  });

  it('words the default conversion for kinds that select only on name and namespace', () => {
    const only = ['metadata.name', 'metadata.namespace'];
    expect(rejection(() => parseFieldSelector('foo.bar=baz', only, wordingForFields(only))).message).toBe(
      '"foo.bar" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    expect(wordingForFields(supported)).toBe('field-label-not-supported');
  });

  it('rejects a term without an operator, quoting the whole selector', () => {
    expect(rejection(() => parseFieldSelector('metadata.name', supported)).message).toBe("invalid selector: 'metadata.name'; can't understand 'metadata.name'");
  });

  it('reports the first problem in sorted term order', () => {
    expect(rejection(() => parseFieldSelector('zzz=1,aaa', supported)).message).toBe("invalid selector: 'zzz=1,aaa'; can't understand 'aaa'");
  });

  it('rejects unescaped = and unknown escapes in values as Go words them', () => {
    expect(rejection(() => parseFieldSelector('metadata.name=a=b', supported)).message).toBe('invalid field selector: unescaped character in value: 61');
    expect(rejection(() => parseFieldSelector('metadata.name=a\\x', supported)).message).toBe('invalid field selector: invalid escape sequence: \\x');
    expect(rejection(() => parseFieldSelector('metadata.name=a\\', supported)).message).toBe('invalid field selector: invalid escape sequence: \\');
  });

  it('does not trim field names, as the apiserver does not', () => {
    expect(rejection(() => parseFieldSelector('metadata.name =x', supported)).message).toBe('field label not supported: metadata.name ');
  });
});

describe('kubectlListError', () => {
  it('builds the sentence kubectl prints around a rejected list', () => {
    const gvr = groupVersionResourceString('', 'v1', 'pods');
    expect(kubectlListError(gvr, '', 'foo=bar', 'field label not supported: foo')).toBe(
      'Unable to find "/v1, Resource=pods" that match label selector "", field selector "foo=bar": field label not supported: foo',
    );
    expect(kubectlListError(groupVersionResourceString('apps', 'v1', 'deployments'), '', '', 'boom')).toBe('Unable to list "apps/v1, Resource=deployments": boom');
  });
});
