"""Health check, authentication, 404/405, common headers.  The role table
is tests/api/test_permissions.py."""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, ts  # noqa: E402


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class HealthAuth(harness.ApiCase):

    def assertUnauthorized(self, r, msg=None):
        self.assertProblem(r, 401, 'unauthorized', msg=msg)
        self.assertTrue(r[1].get('www-authenticate', '').startswith('Bearer'),
                        '%s: WWW-Authenticate %r' % (
                            msg, r[1].get('www-authenticate')))

    def test_healthz_public(self):
        st, h, b = self.fx.request('GET', '/healthz')
        self.assertEqual(st, 200)
        self.assertEqual(b, {'status': 'ok'})
        self.assertTrue(h.get('content-type', '').startswith(
            'application/json'), h.get('content-type'))

    def test_missing_token(self):
        for path in ('/api/v1/incidents', '/api/v1/me', '/api/v1/users',
                     '/api/v1/audit/verify'):
            self.assertUnauthorized(self.fx.request('GET', path), path)

    def test_bad_tokens(self):
        real = self.fx.tok['handler']
        cases = {
            'garbage': {'Authorization': 'Bearer nonsense'},
            'well-formed unknown': {'Authorization': 'Bearer bc_' + 'A' * 43},
            'tampered': {'Authorization': 'Bearer ' + real[:-1] +
                         ('A' if real[-1] != 'A' else 'B')},
            'truncated': {'Authorization': 'Bearer ' + real[:-1]},
            'empty bearer': {'Authorization': 'Bearer '},
            'basic scheme': {'Authorization': 'Basic ' + real},
            'no scheme': {'Authorization': real},
        }
        for name, hdrs in cases.items():
            with self.subTest(name):
                self.assertUnauthorized(self.fx.request(
                    'GET', '/api/v1/me', headers=hdrs), name)
        # The real one still works.
        st, _, b = self.fx.as_('handler', 'GET', '/api/v1/me')
        self.assertEqual(st, 200)
        self.assertEqual(b['name'], 'handler')

    def test_revoked_token(self):
        st, _, t = self.fx.as_('admin', 'POST', '/api/v1/tokens',
                               body={'user': 'viewer'})
        self.assertEqual(st, 201, t)
        st, _, me = self.fx.request('GET', '/api/v1/me', token=t['token'])
        self.assertEqual(st, 200)
        self.assertEqual(me['name'], 'viewer')
        st, _, _ = self.fx.as_('admin', 'DELETE', '/api/v1/tokens/%d' % t['id'])
        self.assertEqual(st, 204)
        self.assertUnauthorized(self.fx.request(
            'GET', '/api/v1/me', token=t['token']), 'revoked')
        self.assertUnauthorized(self.fx.request(
            'GET', '/api/v1/incidents', token=t['token']), 'revoked')

    def test_expired_token(self):
        # No API can mint an already expired token, so make one expire by
        # moving its expiry into the past in the database (like a clock
        # that has run on).
        p = harness.cli_ok('token', 'create', '--db', self.fx.db,
                           '--user', 'viewer', '--expires-days', '1')
        tok = p.stdout.strip()
        st, _, _ = self.fx.request('GET', '/api/v1/me', token=tok)
        self.assertEqual(st, 200)
        con = sqlite3.connect(self.fx.db, timeout=10)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' "
                "AND name LIKE '%token%'")]
            self.assertTrue(tables, 'no token table found')
            done = False
            for t in tables:
                cols = [r[1] for r in con.execute(
                    'PRAGMA table_info("%s")' % t)]
                exp = [c for c in cols if 'expir' in c]
                if not exp:
                    continue
                c = exp[0]
                # Only the newest token has a non-null expiry set just now.
                row = con.execute('SELECT rowid, "%s" FROM "%s" WHERE "%s" '
                                  'IS NOT NULL ORDER BY rowid DESC LIMIT 1'
                                  % (c, t, c)).fetchone()
                self.assertIsNotNone(row)
                past = 946684800 if isinstance(row[1], (int, float)) \
                    else '2000-01-01T00:00:00Z'
                con.execute('UPDATE "%s" SET "%s" = ? WHERE rowid = ?'
                            % (t, c), (past, row[0]))
                con.commit()
                done = True
            self.assertTrue(done, 'no expiry column found')
        finally:
            con.close()
        self.assertUnauthorized(self.fx.request(
            'GET', '/api/v1/me', token=tok), 'expired')

    def test_unknown_path_404(self):
        for path in ('/api/v1/nope', '/api/v1/incidents/1/nope', '/nope',
                     '/api/v2/incidents', '/api/v1/incidents/abc',
                     '/api/v1/incidents/999999'):
            with self.subTest(path):
                self.assertProblem(self.fx.as_('handler', 'GET', path), 404,
                                   'not-found', msg=path)

    def test_method_not_allowed(self):
        cases = [
            ('DELETE', '/healthz', {'GET', 'HEAD'}),
            ('PUT', '/api/v1/incidents', {'GET', 'HEAD', 'POST'}),
            ('DELETE', '/api/v1/incidents/1', {'GET', 'HEAD', 'PATCH'}),
            ('POST', '/api/v1/me', {'GET', 'HEAD'}),
            ('DELETE', '/api/v1/users', {'GET', 'HEAD', 'POST'}),
            ('PUT', '/api/v1/tokens', {'GET', 'HEAD', 'POST'}),
            ('PATCH', '/api/v1/audit/verify', {'GET', 'HEAD'}),
            ('HEAD', '/api/v1/incidents/1/notes', {'POST'}),
            ('PUT', '/api/v1/me/calendar-token',
             {'GET', 'HEAD', 'POST', 'DELETE'}),
        ]
        for method, path, allowed in cases:
            with self.subTest(method + ' ' + path):
                r = self.fx.as_('admin', method, path)
                if method == 'HEAD':
                    self.assertEqual((r[0], r[2]), (405, b''))
                else:
                    self.assertProblem(r, 405, 'method-not-allowed',
                                       msg=method + ' ' + path)
                allow = {m.strip().upper() for m in
                         r[1].get('allow', '').split(',') if m.strip()}
                self.assertEqual(allow, allowed)
                self.assertNotIn(method, allow)

    def test_head(self):
        """HEAD wherever GET (RFC 9110 9.3.2): the GET's status and
        headers, no body, the same authentication."""
        inc = self.create()
        for user, path in (
                (None, '/healthz'),
                ('handler', '/api/v1/me'),
                ('handler', '/api/v1/incidents'),
                ('handler', '/api/v1/incidents/%d' % inc['id']),
                ('handler', '/api/v1/incidents/%d/obligations' % inc['id']),
                ('handler', '/api/v1/incidents/%d/notices/ico_report'
                 % inc['id']),
                ('admin', '/api/v1/users'),
                ('viewer', '/api/v1/users'),
                ('handler', '/api/v1/incidents/999999'),
                ('handler', '/api/v1/regimes')):
            with self.subTest(user=user, path=path):
                if user is None:
                    g = self.fx.request('GET', path)
                    h = self.fx.request('HEAD', path)
                else:
                    g = self.fx.as_(user, 'GET', path)
                    h = self.fx.as_(user, 'HEAD', path)
                self.assertEqual(h[0], g[0])
                self.assertEqual(h[2], b'')
                for k in ('content-type', 'etag', 'content-length',
                          'cache-control', 'x-incident-version'):
                    self.assertEqual(h[1].get(k), g[1].get(k), k)
        for path in ('/api/v1/incidents', '/api/v1/me',
                     '/api/v1/incidents/%d' % inc['id']):
            with self.subTest(no_token=path):
                h = self.fx.request('HEAD', path)
                self.assertEqual((h[0], h[2]), (401, b''))
                self.assertTrue(h[1].get('www-authenticate', '')
                                .startswith('Bearer'))

    def test_common_headers(self):
        inc = self.create()
        resps = {
            'healthz': self.fx.request('GET', '/healthz'),
            '401': self.fx.request('GET', '/api/v1/incidents'),
            '403': self.fx.as_('viewer', 'GET', '/api/v1/users'),
            '404': self.fx.as_('handler', 'GET', '/api/v1/nope'),
            '405': self.fx.as_('handler', 'PUT', '/api/v1/incidents'),
            'get': self.fx.as_('handler', 'GET',
                               '/api/v1/incidents/%d' % inc['id']),
            'list': self.fx.as_('handler', 'GET', '/api/v1/incidents'),
            'post': self.fx.as_('handler', 'POST', '/api/v1/incidents',
                                body={'title': 'h',
                                      'discovered_at': ts(now() - HOUR)}),
            '400': self.fx.as_('handler', 'POST', '/api/v1/incidents',
                               raw=b'{', headers={
                                   'Content-Type': 'application/json'}),
        }
        for name, (st, h, _) in resps.items():
            with self.subTest(name):
                self.assertEqual(h.get('x-content-type-options'), 'nosniff')
                self.assertEqual(h.get('referrer-policy'), 'no-referrer')
                self.assertTrue(h.get('content-security-policy'),
                                'no Content-Security-Policy')
                if name != 'healthz':
                    self.assertIn('no-store', h.get('cache-control', ''))


if __name__ == '__main__':
    harness.main()
