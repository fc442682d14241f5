"""Hostile input against every route: security headers on every response,
and no stack trace, SQL, file path or library error in any error body.

The sweep is driven by the route table of server/router.c (its routes and
their declared query parameters) and by docs/openapi.yaml (the fields of
each request body):

* path ids and names that are out of range, not numbers, or tricks
  (0, 01, -1, 16 digits, quotes, dot-dot, percent escapes);
* every declared query parameter with hostile values, unknown and
  repeated parameters;
* for every body: broken JSON, not an object, deep nesting, duplicate
  keys, NUL and invalid UTF-8, unknown fields, and every documented field
  with values of the wrong type, huge numbers and hostile strings;
* methods a path does not take, bad Content-Type, If-Match and
  Idempotency-Key headers;
* static files: present, absent, and escapes from the web root.

Each request goes as a caller the route allows, so it reaches the
handler's validation.  Every response must carry the security headers;
none may be a 5xx; every error must be a problem document without
internals (leaks.py), quoting at most what the request itself sent.
"""

import http.client
import json
import os
import re
import socket
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
import leaks  # noqa: E402
import openapi_check  # noqa: E402
import test_permissions  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402

WEB = os.path.join(harness.REPO, 'web')
QUERY_RE = re.compile(r'static const char \*const (\w+)\[\] = \{([^}]*)\}')
ROUTE_QUERY_RE = re.compile(
    r'\{\s*"(GET|POST|PUT|PATCH|DELETE)",\s*"([^"]+)",[^}]*?(\w+_query)'
    r'\s*\}')

HOSTILE = [
    "' OR '1'='1' --", '"; DROP TABLE incidents; --', '/etc/passwd',
    '../../../../etc/passwd', '<script>alert(1)</script>', '%s%s%n%x',
    '\u0000', 'x' * 5000, '\u202e\ufeff\U0001f600', '${jndi:ldap://x/a}',
    '1e400', '-9223372036854775809',
]
WRONG_TYPES = [None, True, 0, -1, 2 ** 63, 1e308, -1e308, 0.5, [], {},
               ['x'] * 3, {'a': {'b': {}}}]
IDS = ['0', '01', '-1', '9999999999999999', '1e3', "1'", '%27', '1%00',
       '%2e%2e', '1.0', '+1']
SLUGS = ['A', '..', '%2e%2e', 'x' * 65, 'a%00b', "a'b", 'a%2fb', 'a%20b']
METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE',
           'PROPFIND']
PREFER = ['admin', 'dpo', 'handler', 'reporter', 'viewer', 'notifier']


def setUpModule():
    harness.setup_module(['--web-root', WEB])


def tearDownModule():
    harness.teardown_module()


def route_queries():
    """{(method, pattern): [query parameter names]} from router.c."""
    with open(test_permissions.ROUTER_C, encoding='utf-8') as f:
        src = f.read()
    arrays = {name: re.findall(r'"([^"]+)"', body)
              for name, body in QUERY_RE.findall(src)}
    start = src.index('routes[] = {')
    out = {}
    for m, p, q in ROUTE_QUERY_RE.findall(src[start:]):
        out[(m, p)] = arrays.get(q, [])
    return out


def body_fields(method, pattern):
    """{field: schema} of the operation's JSON request body, or None when
    it takes none."""
    spec = openapi_check.spec()
    tpl = re.sub(r'#|\*', 'X', pattern)
    for path, item in spec.doc['paths'].items():
        if re.sub(r'\{[^}]+\}', 'X', path) != tpl:
            continue
        op = item.get(method.lower())
        if op is None or 'requestBody' not in op:
            return None
        schema = spec.deref(op['requestBody']['content']['application/json']
                            ['schema'])
        props = {}
        for part in [schema] + [spec.deref(s) for s in
                                schema.get('allOf', []) +
                                schema.get('oneOf', []) +
                                schema.get('anyOf', [])]:
            props.update(part.get('properties', {}))
        return props
    return None


class Hostile(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        fx = harness.FX
        st, _, inc = fx.as_('handler', 'POST', '/api/v1/incidents', body={
            'title': 'hostile', 'discovered_at': ts(now() - 2 * HOUR),
            'aware_at': ts(now() - HOUR), 'jurisdictions': ['GB']})
        assert st == 201, inc
        cls.iid = inc['id']
        cls.count = 0
        cls.statuses = {}

    # ------------------------------------------------------------ checks

    def send(self, method, path, user=None, body=None, raw=None,
             headers=None, sent=()):
        """Make the request and check the response; return it."""
        hh = {}
        if raw is not None:
            hh['Content-Type'] = 'application/json'
        if headers:
            hh.update(headers)
        tok = self.fx.tok[user] if user else None
        r = self.fx.request(method, path, token=tok, body=body, raw=raw,
                            headers=hh)
        type(self).count += 1
        self.statuses[r[0]] = self.statuses.get(r[0], 0) + 1
        self.check(method, path, r, sent)
        return r

    def check(self, method, path, r, sent=()):
        st, h, b = r
        what = '%s %s -> %d' % (method, path[:120], st)
        self.assertEqual(h.get('x-content-type-options'), 'nosniff', what)
        self.assertTrue(h.get('content-security-policy'), what)
        self.assertEqual(h.get('x-frame-options'), 'DENY', what)
        self.assertEqual(h.get('referrer-policy'), 'no-referrer', what)
        self.assertTrue(h.get('cache-control'), what)
        self.assertLess(st, 500, '%s: %r' % (what, b))
        if st >= 400:
            self.assertTrue(h.get('content-type', '').startswith(
                'application/problem+json'), what)
            self.assertIsInstance(b, dict, what)
            quoted = [str(s) for s in sent] + [urllib.parse.unquote(path)]
            self.assertEqual(leaks.leaks(b, sent=quoted), [],
                             '%s: %r' % (what, b))

    def plain(self, method, path, headers=None):
        """A request outside the API (a static file), which the OpenAPI
        description does not cover; checked like the others."""
        conn = http.client.HTTPConnection(self.fx.server.host,
                                          self.fx.server.port, timeout=30)
        try:
            conn.request(method, path, headers=headers or {})
            resp = conn.getresponse()
            body = resp.read()
            h = {k.lower(): v for k, v in resp.getheaders()}
            st = resp.status
        finally:
            conn.close()
        if 'json' in h.get('content-type', ''):
            body = json.loads(body)
        r = (st, h, body)
        type(self).count += 1
        self.statuses[st] = self.statuses.get(st, 0) + 1
        self.check(method, path, r, [path])
        return r

    def caller(self, allowed):
        if allowed in (test_permissions.PUBLIC, test_permissions.SCRAPE):
            return None
        return next(r for r in PREFER if r in allowed)

    def concrete(self, pattern):
        return pattern.replace('#', str(self.iid), 1).replace(
            '#', '1').replace('*', 'uk_gdpr_art33_ico')

    # ------------------------------------------------------------ sweeps

    def test_path_parameters(self):
        for method, pattern, allowed, _ in test_permissions.router_routes():
            if '#' not in pattern and '*' not in pattern:
                continue
            user = self.caller(allowed)
            for bad in (IDS if '#' in pattern else []):
                path = pattern.replace('#', bad, 1).replace(
                    '#', '1').replace('*', 'uk_gdpr_art33_ico')
                with self.subTest(method + ' ' + path):
                    r = self.send(method, path, user=user,
                                  body={} if method in ('POST', 'PUT',
                                                        'PATCH') else None)
                    self.assertIn(r[0], (400, 404), r[2])
            for bad in (SLUGS if '*' in pattern else []):
                path = self.concrete(pattern.replace('*', bad))
                with self.subTest(method + ' ' + path):
                    r = self.send(method, path, user=user,
                                  body={} if method in ('POST', 'PUT',
                                                        'PATCH') else None)
                    self.assertIn(r[0], (400, 404), r[2])

    def test_query_parameters(self):
        queries = route_queries()
        for method, pattern, allowed, _ in test_permissions.router_routes():
            if method != 'GET':
                continue
            user = self.caller(allowed)
            path = self.concrete(pattern)
            params = queries.get((method, pattern), [])
            cases = [('unknown', {'nope': '1'}),
                     ('hostile name', {HOSTILE[0]: '1'})]
            for p in params:
                if p == 'token':
                    continue       # a feed token is a credential
                for v in HOSTILE + ['', '0', '-1', '99999999999999999999']:
                    cases.append((p, {p: v}))
            for name, q in cases:
                url = path + '?' + urllib.parse.urlencode(q)
                with self.subTest('%s %s %s' % (method, url[:100], name)):
                    r = self.send(method, url, user=user,
                                  sent=list(q) + list(q.values()))
                    self.assertIn(r[0], (200, 400, 404), r[2])
            for p in params:
                if p == 'token':
                    continue
                url = path + '?%s=1&%s=2' % (p, p)
                with self.subTest('%s twice' % p):
                    r = self.send(method, url, user=user)
                    self.assertEqual(r[0], 400, r[2])

    def test_bodies(self):
        for method, pattern, allowed, flags in \
                test_permissions.router_routes():
            if 'BODY' not in flags:
                continue
            user = self.caller(allowed)
            path = self.concrete(pattern)
            fields = body_fields(method, pattern)
            self.assertIsNotNone(fields, '%s %s: no request body in the '
                                 'spec' % (method, pattern))
            raws = [b'{', b'[]', b'"x"', b'null', b'{"a":1,"a":2}',
                    b'{"\\u0000":1}', b'{"t":"\xff\xfe"}',
                    b'[' * 5000 + b']' * 5000,
                    b'{"a":' * 3000 + b'1' + b'}' * 3000, b'',
                    b'{"title": 1e99999}', b'\xef\xbb\xbf{}']
            for raw in raws:
                with self.subTest('%s %s raw %r' % (method, pattern,
                                                    raw[:20])):
                    r = self.send(method, path, user=user, raw=raw)
                    # (PATCH wants If-Match before reading the fields)
                    self.assertIn(r[0], (400, 422, 428), r[2])
            for name in (HOSTILE[0], '__proto__', 'x' * 300, ''):
                with self.subTest('%s %s field %r' % (method, pattern,
                                                      name[:20])):
                    r = self.send(method, path, user=user, body={name: 1},
                                  sent=[name])
                    self.assertIn(r[0], (400, 422, 428), r[2])
            base = {}
            if pattern == '/api/v1/incidents' and method == 'POST':
                base = {'title': 'hostile fields',
                        'discovered_at': ts(now() - HOUR)}
            for field in sorted(fields):
                for v in WRONG_TYPES + HOSTILE:
                    b = dict(base)
                    b[field] = v
                    with self.subTest('%s %s %s=%r' % (
                            method, pattern, field, str(v)[:20])):
                        hdr = {'If-Match': '"1"'} if method == 'PATCH' \
                            else None
                        r = self.send(method, path, user=user, body=b,
                                      headers=hdr, sent=[v, field])
                        # a hostile string may be a fine title
                        self.assertNotIn(r[0], (401, 403, 405), r[2])

    def test_methods_and_headers(self):
        by_path = {}
        for method, pattern, allowed, _ in test_permissions.router_routes():
            by_path.setdefault(pattern, {})[method] = allowed
        for pattern, methods in by_path.items():
            path = self.concrete(pattern)
            allowed = next(iter(methods.values()))
            user = self.caller(allowed) or 'admin'
            for m in METHODS:
                if m in methods:
                    continue
                with self.subTest(m + ' ' + path):
                    r = self.send(m, path, user=user)
                    self.assertProblem(r, 405, 'method-not-allowed')
        inc = '/api/v1/incidents/%d' % self.iid
        for ct in ('text/plain', 'application/jsonx', 'application/xml',
                   'multipart/form-data; boundary=x', ''):
            with self.subTest('Content-Type %r' % ct):
                r = self.send('POST', '/api/v1/incidents', user='handler',
                              raw=b'{"title":"x"}',
                              headers={'Content-Type': ct})
                self.assertProblem(r, 415, 'unsupported-media-type')
        for im in ('*', '"abc"', 'W/"1"', '"1", "2"', '"99999999999999999"',
                   '', HOSTILE[0]):
            with self.subTest('If-Match %r' % im):
                r = self.send('PATCH', inc, user='handler',
                              body={'title': 'x'}, headers={'If-Match': im},
                              sent=[im])
                # '*' and a list may name the current version
                ok = (200,) if im in ('*', '"1", "2"') else ()
                self.assertIn(r[0], (400, 412, 428) + ok, r[2])
        for key in ('', 'x' * 201, 'tab\there', HOSTILE[1]):
            with self.subTest('Idempotency-Key %r' % key[:20]):
                r = self.send('POST', '/api/v1/incidents', user='handler',
                              body={'title': 'idem', 'discovered_at':
                                    ts(now() - HOUR)},
                              headers={'Idempotency-Key': key}, sent=[key])
                self.assertIn(r[0], (201, 400), r[2])
        for authz in ('Bearer ' + 'é' * 50, 'Bearer ' + HOSTILE[0],
                      'Bearer ' + 'A' * 5000, 'Bearer', 'bc_x'):
            with self.subTest('Authorization %r' % authz[:20]):
                r = self.send('GET', '/api/v1/me',
                              headers={'Authorization': authz.encode(
                                  'utf-8').decode('latin-1')})
                self.assertProblem(r, 401, 'unauthorized')
        for cookie in ('bc_session=' + HOSTILE[0], 'bc_session=' + 'é' * 20,
                       'bc_session', '=;;;='):
            with self.subTest('Cookie %r' % cookie[:20]):
                r = self.send('GET', '/api/v1/me', headers={
                    'Cookie': cookie.encode('utf-8').decode('latin-1')})
                self.assertProblem(r, 401, 'unauthorized')

    def test_static_files(self):
        present = ['/', '/index.html', '/login.html', '/js/api.js',
                   '/css/app.css']
        for p in present:
            with self.subTest(p):
                r = self.plain('GET', p)
                self.assertEqual(r[0], 200, p)
                csp = r[1].get('content-security-policy', '')
                self.assertIn("script-src 'self'", csp)
                self.assertIn("frame-ancestors 'none'", csp)
                self.assertIn('no-cache', r[1].get('cache-control', ''))
                # revalidated (304) and HEAD answers carry them too
                r = self.plain('GET', p, {'If-None-Match': r[1]['etag']})
                self.assertEqual(r[0], 304, p)
                r = self.plain('HEAD', p)
                self.assertEqual((r[0], r[2]), (200, b''), p)
        absent = ['/nope.html', '/js/nope.js', '/../server/main.c',
                  '/%2e%2e/server/main.c', '/js/../../README.md',
                  '/.git/config', '/%00', '/index.html%00.js', '/js//api.js',
                  '/' + 'a' * 300, '/web/index.html', '/.htaccess',
                  '/js/%2e%2e/%2e%2e/meson.build', '/etc/passwd',
                  '/api', '/api/v1', '/api/v2/incidents']
        for p in absent:
            with self.subTest(p):
                r = self.plain('GET', p)
                self.assertProblem(r, 404, 'not-found', msg=p)
        r = self.plain('POST', '/index.html')
        self.assertEqual(r[0], 404)

    def test_raw_protocol_abuse(self):
        """Requests the HTTP client library would not send: whatever the
        server answers carries no internals, and it lives on."""
        port = self.fx.server.port
        cases = [
            b'GET /healthz HTTP/1.1\r\n\r\n',
            b'GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n',
            b'GET /healthz HTTP/9.9\r\nHost: a\r\n\r\n',
            b'GARBAGE\r\n\r\n',
            b'GET /api/v1/incidents/1 HTTP/1.1\r\nHost: a\r\n'
            b'Authorization: Bearer \x00\x01\x02\r\n\r\n',
            b'POST /api/v1/incidents HTTP/1.1\r\nHost: a\r\n'
            b'Content-Length: 10\r\nContent-Length: 5\r\n\r\n{}',
            b'POST /api/v1/incidents HTTP/1.1\r\nHost: a\r\n'
            b'Content-Length: -1\r\n\r\n',
            b'POST /api/v1/incidents HTTP/1.1\r\nHost: a\r\n'
            b'Transfer-Encoding: chunked\r\n\r\nzz\r\n',
            b'GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n',
            b'GET http://evil.example/healthz HTTP/1.1\r\nHost: a\r\n\r\n',
            b'GET /healthz HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n',
        ]
        for data in cases:
            with self.subTest(repr(data[:50])):
                s = socket.create_connection(('127.0.0.1', port), timeout=10)
                try:
                    s.sendall(data)
                    s.shutdown(socket.SHUT_WR)
                    out = b''
                    while True:
                        try:
                            d = s.recv(65536)
                        except (ConnectionResetError, socket.timeout):
                            break
                        if not d:
                            break
                        out += d
                finally:
                    s.close()
                head, _, body = out.partition(b'\r\n\r\n')
                m = re.match(rb'HTTP/1\.[01] (\d{3}) ', head)
                if m is None:
                    self.assertEqual(out, b'', 'not HTTP: %r' % out[:200])
                    continue
                # 505: libmicrohttpd's answer to an unknown HTTP version
                self.assertTrue(int(m.group(1)) < 500 or
                                int(m.group(1)) == 505, out[:300])
                self.assertEqual(leaks.leaks(body, sent=[
                    data.decode('latin-1')]), [], out[:300])
        self.assertEqual(self.fx.request('GET', '/healthz')[0], 200)

    def test_every_operation_documents_431_and_503(self):
        """Any request can be refused before it is routed (headers too
        large) or when the database cannot take it, so every operation of
        docs/openapi.yaml lists both answers."""
        spec = openapi_check.spec()
        for path, item in spec.doc['paths'].items():
            for m in ('get', 'put', 'post', 'patch', 'delete'):
                if m not in item:
                    continue
                with self.subTest('%s %s' % (m.upper(), path)):
                    resp = item[m].get('responses', {})
                    self.assertEqual(resp.get('431'), {
                        '$ref': '#/components/responses/HeadersTooLarge'})
                    self.assertEqual(resp.get('503'), {
                        '$ref': '#/components/responses/ServiceUnavailable'})

    @classmethod
    def tearDownClass(cls):
        sys.stderr.write('hostile sweep: %d requests, statuses %s\n' % (
            cls.count, json.dumps(dict(sorted(cls.statuses.items())))))


if __name__ == '__main__':
    harness.main()
