"""
openapi_check: validate an HTTP response against docs/openapi.yaml.

The API tests' harness calls check() for every response it receives, so a
response the spec does not describe fails the test that provoked it.

For (method, path, status, headers, body) it

* finds the operation whose path template matches (path parameters must
  satisfy their schemas, e.g. an integer id >= 1; literal segments win over
  templated ones);
* requires the status to be documented for that operation, except 405,
  which the spec documents globally (components/responses/MethodNotAllowed)
  for a known path used with a method it has no operation for; then the
  `Allow` header must list exactly the path's methods (and HEAD with GET);
* checks HEAD against the path's GET operation (RFC 9110: HEAD wherever
  GET), without a body;
* allows a path that matches no template only with status 404 (checked
  against components/responses/NotFound);
* requires the Content-Type to be one the response documents (and no body
  when it documents none), validates a JSON body against the response
  schema with jsonschema's Draft202012Validator, `$ref`s resolved over the
  whole document;
* requires the response headers documented as `required: true` (Location,
  ETag, WWW-Authenticate, Allow) and validates every documented header that
  is present against its schema.

`format` is not asserted (an annotation in Draft 2020-12); patterns carry
the timestamp rules.

Needs PyYAML and jsonschema (Debian: python3-yaml, python3-jsonschema).
"""

import json
import os
import re
import threading
import urllib.parse

import jsonschema
import yaml
from jsonschema import Draft202012Validator

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_PATH = os.path.join(os.path.dirname(os.path.dirname(HERE)), 'docs',
                         'openapi.yaml')
BASE_URI = 'urn:breachclock:openapi'
METHODS = ('get', 'put', 'post', 'delete', 'options', 'head', 'patch',
           'trace')


class SpecMismatch(AssertionError):
    """A response that docs/openapi.yaml does not describe."""


def pointer_get(doc, pointer):
    """Resolve a JSON pointer ('/a/b' or '' for the root) in doc."""
    node = doc
    if pointer in ('', '/'):
        return node
    if not pointer.startswith('/'):
        raise KeyError('not a JSON pointer: %r' % pointer)
    for part in pointer[1:].split('/'):
        part = urllib.parse.unquote(part).replace('~1', '/').replace('~0', '~')
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node[part]
        else:
            raise KeyError(pointer)
    return node


def pointer_escape(s):
    return str(s).replace('~', '~0').replace('/', '~1')


class Spec:
    """A loaded OpenAPI document and validators over it."""

    def __init__(self, path=SPEC_PATH, doc=None):
        self.path = path
        if doc is None:
            with open(path, encoding='utf-8') as f:
                doc = yaml.safe_load(f)
        self.doc = doc
        self._validators = {}
        self._lock = threading.Lock()
        self._make_ref_context()
        self.templates = self._compile_paths()

    # ------------------------------------------------------------ $refs

    def _make_ref_context(self):
        """A registry (jsonschema >= 4.18) or a RefResolver (older)."""
        self.registry = None
        self.resolver = None
        try:
            import referencing
            import referencing.jsonschema
            res = referencing.Resource.from_contents(
                self.doc,
                default_specification=referencing.jsonschema.DRAFT202012)
            registry = referencing.Registry().with_resource(BASE_URI, res)
            Draft202012Validator({}, registry=registry)  # supported?
            self.registry = registry
        except (ImportError, TypeError):
            self.resolver = jsonschema.RefResolver(BASE_URI, self.doc)

    def deref(self, node):
        """Follow an OpenAPI-level {'$ref': '#/...'} (repeatedly)."""
        seen = 0
        while isinstance(node, dict) and '$ref' in node:
            ref = node['$ref']
            if not ref.startswith('#'):
                raise KeyError('non-local $ref %r' % ref)
            node = pointer_get(self.doc, ref[1:])
            seen += 1
            if seen > 20:
                raise KeyError('$ref loop at %r' % ref)
        return node

    def validator(self, pointer):
        """A Draft 2020-12 validator for the schema at a JSON pointer."""
        with self._lock:
            v = self._validators.get(pointer)
            if v is None:
                schema = {'$ref': BASE_URI + '#' + pointer}
                if self.registry is not None:
                    v = Draft202012Validator(schema, registry=self.registry)
                else:
                    v = Draft202012Validator(schema, resolver=self.resolver)
                self._validators[pointer] = v
            return v

    def schema_errors(self, pointer, instance, limit=3):
        """Messages for instance's errors against the schema at pointer."""
        v = self.validator(pointer)
        errs = sorted(v.iter_errors(instance),
                      key=jsonschema.exceptions.relevance)
        out = []
        for e in errs[:limit]:
            where = '/' + '/'.join(str(p) for p in e.absolute_path)
            out.append('at %s: %s (schema %s)' % (
                where, e.message,
                '/'.join(str(p) for p in e.absolute_schema_path)))
        return out

    # ------------------------------------------------------------ paths

    def _path_params(self, item):
        """{name: (pointer to schema or None)} for a path item's params."""
        out = {}
        lists = [('', item.get('parameters', []))]
        for m in METHODS:
            if m in item:
                lists.append((m, item[m].get('parameters', [])))
        for _, params in lists:
            for p in params:
                p = self.deref(p)
                if p.get('in') == 'path':
                    out[p['name']] = p.get('schema', {})
        return out

    def _compile_paths(self):
        templates = []
        for tpl, item in (self.doc.get('paths') or {}).items():
            item = self.deref(item)
            params = self._path_params(item)
            names = []
            rx = ''
            literal = 0
            for seg in tpl.split('/')[1:]:
                m = re.fullmatch(r'\{([^}]+)\}', seg)
                if m:
                    names.append(m.group(1))
                    rx += '/([^/]+)'
                else:
                    literal += 1
                    rx += '/' + re.escape(seg)
            templates.append((literal, tpl, re.compile('^' + rx + '$'),
                              names, params, item))
        templates.sort(key=lambda t: -t[0])
        return templates

    def _param_ok(self, schema, raw):
        schema = self.deref(schema)
        value = urllib.parse.unquote(raw)
        if schema.get('type') == 'integer':
            if not re.fullmatch(r'-?[0-9]+', value):
                return False
            value = int(value)
        # a path parameter's schema is self-contained here; validate it
        # without the document (a $ref would be followed by deref above).
        return not list(Draft202012Validator(schema).iter_errors(value))

    def match(self, path):
        """(template, path item) of the path (query ignored), or None."""
        path = path.split('?', 1)[0].split('#', 1)[0]
        for _, tpl, rx, names, params, item in self.templates:
            m = rx.match(path)
            if not m:
                continue
            if all(self._param_ok(params.get(n, {}), v)
                   for n, v in zip(names, m.groups())):
                return tpl, item
        return None

    # ------------------------------------------------------------ check

    def problems(self, method, path, status, headers, body):
        """A list of reasons the response disagrees with the spec."""
        method = method.upper()
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        if isinstance(body, str):
            body = body.encode()
        body = body or b''
        status = int(status)
        found = self.match(path)
        if found is None:
            if status != 404:
                return ['path is not in the spec, so only 404 is allowed']
            return self._check_response(
                '/components/responses/NotFound', method, status, headers,
                body)
        tpl, item = found
        tpl_ptr = '/paths/' + pointer_escape(tpl)
        op_method = method.lower()
        # RFC 9110: HEAD is served wherever GET is, with GET's answer
        # (headers only), so a GET operation documents it.
        if op_method == 'head' and 'head' not in item and 'get' in item:
            op_method = 'get'
        op = item.get(op_method)
        if op is None:
            if status != 405:
                return ['spec has no %s operation on %s, so only 405 is '
                        'allowed' % (method, tpl)]
            out = self._check_response(
                '/components/responses/MethodNotAllowed', method, status,
                headers, body)
            allow = {m.strip().upper() for m in
                     headers.get('allow', '').split(',') if m.strip()}
            want = {m.upper() for m in METHODS if m in item}
            if 'GET' in want:
                want.add('HEAD')
            if allow != want:
                out.append('Allow %s, but the spec has operations %s on %s'
                           % (sorted(allow), sorted(want), tpl))
            return out
        responses = op.get('responses') or {}
        key = str(status)
        if key not in responses:
            key = '%sXX' % key[0]
            if key not in responses:
                key = 'default' if 'default' in responses else None
        if key is None:
            return ['status %d is not documented for %s (%s %s; documents '
                    '%s)' % (status, op.get('operationId'), method, tpl,
                             ', '.join(sorted(map(str, responses))))]
        return self._check_response(
            '%s/%s/responses/%s' % (tpl_ptr, op_method,
                                    pointer_escape(key)),
            method, status, headers, body)

    def _check_response(self, ptr, method, status, headers, body):
        out = []
        resp = pointer_get(self.doc, ptr)
        while '$ref' in resp:
            ptr = resp['$ref'][1:]
            resp = pointer_get(self.doc, ptr)

        # headers
        for name, h in (resp.get('headers') or {}).items():
            hptr = ptr + '/headers/' + pointer_escape(name)
            while '$ref' in h:
                hptr = h['$ref'][1:]
                h = pointer_get(self.doc, hptr)
            value = headers.get(name.lower())
            if value is None:
                if h.get('required'):
                    out.append('required header %s is missing' % name)
                continue
            if 'schema' in h:
                for e in self.schema_errors(hptr + '/schema', value):
                    out.append('header %s %r: %s' % (name, value, e))

        # content
        content = resp.get('content') or {}
        ctype = headers.get('content-type', '')
        media = ctype.split(';', 1)[0].strip().lower()
        if not content:
            if body and method != 'HEAD':
                out.append('the spec documents no body, got %d bytes of %r'
                           % (len(body), ctype))
            return out
        if method == 'HEAD':
            return out
        if media not in {k.lower() for k in content}:
            out.append('Content-Type %r is not documented (want %s)' % (
                ctype, ', '.join(sorted(content))))
            return out
        mkey = next(k for k in content if k.lower() == media)
        mt = content[mkey]
        if 'schema' not in mt:
            return out
        if media == 'application/json' or media.endswith('+json'):
            try:
                instance = json.loads(body.decode('utf-8'))
            except ValueError as e:
                out.append('body is not JSON (%s): %r' % (e, body[:200]))
                return out
            sptr = ptr + '/content/' + pointer_escape(mkey) + '/schema'
            out.extend('body ' + e for e in
                       self.schema_errors(sptr, instance))
        return out

    def check(self, method, path, status, headers, body):
        """Raise SpecMismatch unless the response matches the spec."""
        errs = self.problems(method, path, status, headers, body)
        if errs:
            raise SpecMismatch(
                'response does not match docs/openapi.yaml: %s %s -> %s\n  '
                '%s\n  body: %s' % (method.upper(), path, status,
                                    '\n  '.join(errs),
                                    _short(body)))


def _short(body, n=600):
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    body = str(body)
    return body if len(body) <= n else body[:n] + '...'


_SPEC = None
_SPEC_LOCK = threading.Lock()


def spec():
    """The docs/openapi.yaml Spec, loaded once."""
    global _SPEC
    with _SPEC_LOCK:
        if _SPEC is None:
            _SPEC = Spec()
        return _SPEC


def check(method, path, status, headers, body):
    """Raise SpecMismatch unless the response matches docs/openapi.yaml."""
    spec().check(method, path, status, headers, body)
