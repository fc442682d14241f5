"""docs/openapi.yaml itself: well-formed, resolvable, valid schemas, and
the same routes as the server's router table (server/router.c).  Also
checks that openapi_check, which the harness runs on every response,
rejects what it should."""

import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openapi_check  # noqa: E402
from openapi_check import METHODS, pointer_escape, pointer_get  # noqa: E402

import yaml  # noqa: E402
from jsonschema import Draft202012Validator  # noqa: E402
from jsonschema.exceptions import SchemaError  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ROUTER_C = os.path.join(REPO, 'server', 'router.c')


def load_doc():
    with open(openapi_check.SPEC_PATH, encoding='utf-8') as f:
        return yaml.safe_load(f)


def walk(node, ptr=''):
    """Yield (pointer, dict) for every dict in node, depth first."""
    if isinstance(node, dict):
        yield ptr, node
        for k, v in node.items():
            yield from walk(v, ptr + '/' + pointer_escape(k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, '%s/%d' % (ptr, i))


def inline_schemas(node, ptr=''):
    """(pointer, schema) of each `schema` of a parameter, header or media
    type outside components/schemas; schemas are not descended into."""
    if isinstance(node, dict):
        for k, v in node.items():
            p = ptr + '/' + pointer_escape(k)
            if p == '/components/schemas':
                continue
            if k == 'schema' and isinstance(v, dict):
                yield p, v
            else:
                yield from inline_schemas(v, p)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from inline_schemas(v, '%s/%d' % (ptr, i))


def operations(doc):
    """(path template, method, operation) of every operation."""
    for tpl, item in (doc.get('paths') or {}).items():
        for m in METHODS:
            if m in item:
                yield tpl, m, item[m]


def router_routes(path=ROUTER_C):
    """{(METHOD, pattern)} of the routes[] table in server/router.c."""
    with open(path, encoding='utf-8') as f:
        src = f.read()
    # Drop comments, but not a '/*' inside a string: the pattern
    # "/api/v1/regimes/*" has a name segment right after a slash.
    src = re.sub(r'"(?:\\.|[^"\\\n])*"|/\*.*?\*/',
                 lambda m: m.group(0) if m.group(0).startswith('"') else ' ',
                 src, flags=re.S)
    m = re.search(r'\broutes\s*\[\s*\]\s*=\s*\{(.*?)\n\};', src, re.S)
    if not m:
        raise AssertionError('no routes[] table in %s' % path)
    pairs = re.findall(r'\{\s*"([A-Z]+)"\s*,\s*"([^"]*)"', m.group(1))
    return set(pairs)


# The router's '*' segment: a name of 1 to 64 of [a-z0-9_-]; a parameter
# may declare the narrower [a-z0-9_] of regime ids and notice kinds.
NAME_PATTERNS = ('^[a-z0-9_-]{1,64}$', '^[a-z0-9_]{1,64}$')


def param_kind(spec, item, name):
    """'#' for an integer path parameter, '*' for a name (a string with
    one of NAME_PATTERNS), None for anything else."""
    params = spec._path_params(item)
    if name not in params:
        return None
    schema = spec.deref(params[name])
    if schema.get('type') == 'integer':
        return '#'
    if schema.get('type') == 'string' and \
            schema.get('pattern') in NAME_PATTERNS:
        return '*'
    return None


def spec_routes(doc):
    """{(METHOD, pattern)} of the spec, path parameters written '#' (an
    integer) or '*' (a name), as in the router table."""
    spec = openapi_check.Spec(doc=doc)
    out = set()
    for tpl, m, _ in operations(doc):
        item = doc['paths'][tpl]
        pat = re.sub(r'\{([^}/]+)\}',
                     lambda g: param_kind(spec, item, g.group(1)) or '?',
                     tpl)
        out.add((m.upper(), pat))
    return out


class SpecDocument(unittest.TestCase):
    maxDiff = None

    @classmethod
    def setUpClass(cls):
        cls.doc = load_doc()

    def test_parses_as_openapi_31(self):
        self.assertIsInstance(self.doc, dict)
        self.assertRegex(str(self.doc.get('openapi')), r'^3\.1\.\d+$')
        self.assertEqual(self.doc.get('jsonSchemaDialect'),
                         'https://json-schema.org/draft/2020-12/schema')
        self.assertTrue(self.doc.get('paths'), 'no paths')
        self.assertIn('title', self.doc.get('info', {}))
        self.assertIn('version', self.doc.get('info', {}))

    def test_every_ref_resolves(self):
        refs = 0
        bad = []
        for ptr, node in walk(self.doc):
            ref = node.get('$ref')
            if not isinstance(ref, str):
                continue
            refs += 1
            if not ref.startswith('#'):
                bad.append('%s: non-local $ref %r' % (ptr, ref))
                continue
            try:
                pointer_get(self.doc, ref[1:])
            except (KeyError, IndexError, ValueError, TypeError):
                bad.append('%s: $ref %r does not resolve' % (ptr, ref))
        self.assertGreater(refs, 0)
        self.assertEqual(bad, [])

    def check_schemas(self, items):
        bad = []
        for ptr, schema in items:
            try:
                Draft202012Validator.check_schema(schema)
            except SchemaError as e:
                bad.append('%s: %s' % (ptr, e.message))
        self.assertEqual(bad, [])

    def test_component_schemas_are_valid(self):
        schemas = self.doc.get('components', {}).get('schemas', {})
        self.assertTrue(schemas)
        self.check_schemas(('/components/schemas/' + pointer_escape(k), v)
                           for k, v in schemas.items())

    def test_inline_schemas_are_valid(self):
        items = list(inline_schemas(self.doc))
        self.assertGreater(len(items), 10)
        self.check_schemas(items)

    def test_schemas_compile_with_refs(self):
        """Every component schema, through the checker's resolver, can be
        applied (which follows each $ref it reaches)."""
        spec = openapi_check.Spec(doc=self.doc)
        for name in self.doc['components']['schemas']:
            with self.subTest(name):
                spec.schema_errors(
                    '/components/schemas/' + pointer_escape(name), {})

    def test_operations_have_id_and_2xx(self):
        ids = {}
        for tpl, m, op in operations(self.doc):
            name = '%s %s' % (m.upper(), tpl)
            with self.subTest(name):
                oid = op.get('operationId')
                self.assertTrue(oid, name + ': no operationId')
                self.assertNotIn(oid, ids, '%s: operationId %r also on %s'
                                 % (name, oid, ids.get(oid)))
                ids[oid] = name
                codes = [str(c) for c in op.get('responses', {})]
                self.assertTrue(any(re.fullmatch(r'2(\d\d|XX)', c)
                                    for c in codes),
                                '%s: no 2xx response (%s)' % (name, codes))
        self.assertTrue(ids)

    def test_path_parameters_are_declared_ids_or_names(self):
        """'#' in the router is a numeric id, '*' a name [a-z0-9_-]{1,64}:
        each {param} is declared on the path or its operations as an
        integer, or as a string with exactly that pattern."""
        spec = openapi_check.Spec(doc=self.doc)
        for tpl, item in self.doc['paths'].items():
            params = spec._path_params(item)
            for name in re.findall(r'\{([^}/]+)\}', tpl):
                with self.subTest(tpl + ' ' + name):
                    self.assertIn(name, params)
                    self.assertIn(param_kind(spec, item, name), ('#', '*'),
                                  spec.deref(params[name]))

    def test_routes_match_router(self):
        server = router_routes()
        self.assertGreater(len(server), 5, 'parsed too few routes')
        spec = spec_routes(self.doc)
        self.assertEqual(sorted(server - spec), [],
                         'routes served but not in docs/openapi.yaml')
        self.assertEqual(sorted(spec - server), [],
                         'operations in docs/openapi.yaml the server lacks')


JSON = {'content-type': 'application/json'}
PROBLEM = {'content-type': 'application/problem+json'}


def problem(status, slug):
    return ('{"type": "https://breachclock.dev/problems/%s", "title": "t",'
            ' "status": %d, "detail": "d"}' % (slug, status)).encode()


class Checker(unittest.TestCase):
    """openapi_check accepts conforming responses and rejects the rest."""

    @classmethod
    def setUpClass(cls):
        cls.spec = openapi_check.Spec()

    def ok(self, *args):
        self.assertEqual(self.spec.problems(*args), [])

    def bad(self, want, *args):
        errs = self.spec.problems(*args)
        self.assertTrue(errs, 'accepted %r' % (args,))
        self.assertRegex('\n'.join(errs), want)
        with self.assertRaises(openapi_check.SpecMismatch):
            self.spec.check(*args)

    def test_health(self):
        self.ok('GET', '/healthz', 200, JSON, b'{"status": "ok"}')
        self.bad('status', 'GET', '/healthz', 200, JSON, b'{"status": "up"}')
        self.bad('not JSON', 'GET', '/healthz', 200, JSON, b'{')
        self.bad('Content-Type', 'GET', '/healthz', 200,
                 {'content-type': 'text/plain'}, b'ok')

    def test_undocumented_status(self):
        self.bad('not documented', 'GET', '/healthz', 418, PROBLEM,
                 problem(418, 'internal'))
        self.bad('not documented', 'GET', '/api/v1/me', 404, PROBLEM,
                 problem(404, 'not-found'))

    def test_unknown_path_only_404(self):
        self.ok('GET', '/api/v1/nope', 404, PROBLEM, problem(404, 'not-found'))
        self.ok('GET', '/api/v1/incidents/abc', 404, PROBLEM,
                problem(404, 'not-found'))
        self.bad('only 404', 'GET', '/', 200,
                 {'content-type': 'text/html'}, b'<html>')
        self.bad('only 404', 'GET', '/api/v1/incidents/0', 200, JSON, b'{}')

    def test_405(self):
        h = dict(PROBLEM, allow='GET, HEAD, POST')
        self.ok('PUT', '/api/v1/incidents', 405, h,
                problem(405, 'method-not-allowed'))
        self.bad('Allow', 'PUT', '/api/v1/incidents', 405,
                 dict(PROBLEM, allow='GET'),
                 problem(405, 'method-not-allowed'))
        self.bad('Allow', 'PUT', '/api/v1/incidents', 405,
                 dict(PROBLEM, allow='GET, POST'),
                 problem(405, 'method-not-allowed'))
        # HEAD is GET's answer without the body; 405 only where no GET
        self.ok('HEAD', '/healthz', 200, JSON, b'')
        self.bad('not documented', 'HEAD', '/healthz', 405, h,
                 problem(405, 'method-not-allowed'))
        self.ok('HEAD', '/api/v1/incidents/1/notes', 405,
                dict(PROBLEM, allow='POST'), b'')
        self.bad('Allow is missing', 'PUT', '/api/v1/incidents', 405,
                 PROBLEM, problem(405, 'method-not-allowed'))
        self.bad('only 405', 'PUT', '/api/v1/incidents', 404, PROBLEM,
                 problem(404, 'not-found'))
        self.bad('not documented', 'GET', '/api/v1/incidents', 405, h,
                 problem(405, 'method-not-allowed'))

    def test_required_headers(self):
        body = (b'{"id": 7, "name": "x", "role": "viewer", "email": null,'
                b' "tz": "UTC"}')
        user = (b'{"id": 7, "name": "x", "role": "viewer", "email": null,'
                b' "tz": "Europe/London", "created_at": "2026-03-01T10:00:00Z",'
                b' "disabled": false, "has_password": false}')
        self.bad('Location is missing', 'POST', '/api/v1/users', 201, JSON,
                 user)
        self.ok('POST', '/api/v1/users', 201,
                dict(JSON, location='/api/v1/users/7'), user)
        self.bad('header Location', 'POST', '/api/v1/users', 201,
                 dict(JSON, location='/api/v1/users/x'), user)
        self.bad('WWW-Authenticate is missing', 'GET', '/api/v1/me', 401,
                 PROBLEM, problem(401, 'unauthorized'))
        self.ok('GET', '/api/v1/me', 401,
                dict(PROBLEM, **{'www-authenticate': 'Bearer'}),
                problem(401, 'unauthorized'))
        self.ok('GET', '/api/v1/me', 200, JSON, body)

    def test_no_body_documented(self):
        self.ok('DELETE', '/api/v1/tokens/3', 204, {}, b'')
        self.bad('no body', 'DELETE', '/api/v1/tokens/3', 204, JSON, b'{}')

    def test_problem_schema(self):
        self.bad('type', 'GET', '/api/v1/incidents/7', 404, PROBLEM,
                 problem(404, 'gone'))
        self.bad('required', 'GET', '/api/v1/incidents/7', 404, PROBLEM,
                 b'{"status": 404}')


if __name__ == '__main__':
    unittest.main(verbosity=2)
