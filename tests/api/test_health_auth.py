"""Health check, authentication, the role table, 404/405, common headers."""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts  # noqa: E402

ROLES = ['reporter', 'handler', 'dpo', 'viewer', 'admin', 'notifier']


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
            ('DELETE', '/healthz', {'GET'}),
            ('PUT', '/api/v1/incidents', {'GET', 'POST'}),
            ('DELETE', '/api/v1/incidents/1', {'GET', 'PATCH'}),
            ('POST', '/api/v1/me', {'GET'}),
            ('DELETE', '/api/v1/users', {'GET', 'POST'}),
            ('PUT', '/api/v1/tokens', {'GET', 'POST'}),
            ('PATCH', '/api/v1/audit/verify', {'GET'}),
        ]
        for method, path, allowed in cases:
            with self.subTest(method + ' ' + path):
                r = self.fx.as_('admin', method, path)
                self.assertProblem(r, 405, 'method-not-allowed',
                                   msg=method + ' ' + path)
                allow = {m.strip().upper() for m in
                         r[1].get('allow', '').split(',') if m.strip()}
                self.assertTrue(allowed <= allow, 'Allow %r' % allow)
                self.assertNotIn(method, allow)

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


class RoleMatrix(harness.ApiCase):
    """Every route of the contract's role table, for every role."""

    @classmethod
    def setUpClass(cls):
        fx = harness.FX
        aware = now() - 2 * HOUR
        st, _, inc = fx.as_('reporter', 'POST', '/api/v1/incidents', body={
            'title': 'role matrix', 'discovered_at': ts(aware - HOUR),
            'aware_at': ts(aware), 'role': 'processor',
            'controller_name': 'Acme', 'jurisdictions': ['GB', 'DE']})
        assert st == 201, (st, inc)
        cls.iid = inc['id']
        st, _, obl = fx.as_('handler', 'GET',
                            '/api/v1/incidents/%d/obligations' % cls.iid)
        assert st == 200, (st, obl)
        by = {o['regime_id']: o['id'] for o in obl['items']}
        # A processor owes its controllers (UK GDPR and EU GDPR Art.
        # 33(2)): one obligation takes notices, the other is waived.
        cls.ico = by['eu_gdpr_art33_2_processor']
        cls.proc = by['uk_gdpr_art33_2_processor']
        cls.n = 0

    def routes(self):
        i = '/api/v1/incidents/%d' % self.iid
        fx = self.fx

        def patch_headers():
            st, h, _ = fx.as_('handler', 'GET', i)
            return {'If-Match': h.get('etag', '"1"')}

        def new_user():
            RoleMatrix.n += 1
            return {'name': 'matrix%d' % RoleMatrix.n, 'role': 'viewer'}

        def new_regime_body():
            RoleMatrix.n += 1
            return {'id': 'matrix_regime_%d' % RoleMatrix.n, 'name': 'm',
                    'jurisdiction': 'Antarctica', 'legal_source': 'none',
                    'notify': 'regulator', 'recipient': 'nobody',
                    'clock_start': 'awareness', 'deadline': '72 hours',
                    'citation_url': 'https://example.org/',
                    'rule': {'applies': {'jurisdictions': ['AQ']},
                             'phases': [{'id': 'notification', 'name': 'n',
                                         'start': 'aware_at',
                                         'duration': 72,
                                         'unit': 'hours'}]}}

        def new_regime():
            b = new_regime_body()
            st, _, g = fx.as_('admin', 'POST', '/api/v1/regimes', body=b)
            assert st == 201, (st, g)
            return g['id']

        def token_id():
            st, _, t = fx.as_('admin', 'POST', '/api/v1/tokens',
                              body={'user': 'viewer'})
            assert st == 201, (st, t)
            return t['id']

        # (method, path or callable, body or callable, headers callable,
        #  allowed roles)
        read = {'reporter', 'handler', 'dpo', 'viewer'}
        write = {'handler', 'dpo'}
        return [
            ('POST', '/api/v1/incidents',
             lambda: {'title': 'm', 'discovered_at': ts(now() - HOUR)}, None,
             {'reporter', 'handler', 'dpo'}),
            ('GET', '/api/v1/incidents', None, None, read),
            ('GET', i, None, None, read),
            ('GET', i + '/obligations', None, None, read),
            ('GET', i + '/obligations/%d' % self.ico, None, None, read),
            ('GET', i + '/events', None, None, read),
            ('GET', i + '/risk-decisions', None, None, read),
            ('PATCH', i, lambda: {'title': 'matrix patched'}, patch_headers,
             write),
            ('POST', i + '/risk-decisions',
             lambda: {'level': 'risk', 'rationale': 'r'}, None, write),
            ('POST', i + '/obligations/%d/notifications' % self.ico,
             lambda: {'sent_at': ts(now() - MINUTE)}, None, write),
            ('POST', i + '/notes', lambda: {'text': 'a note'}, None, write),
            ('POST', i + '/obligations/%d/waive' % self.proc,
             lambda: {'reason': 'contract says so'}, None, {'dpo'}),
            ('GET', i + '/assessments', None, None, read),
            ('POST', i + '/assessments',
             lambda: {'data_type': 'simple',
                      'ease_of_identification': 'limited',
                      'confidentiality': 'none', 'integrity': 'none',
                      'availability': 'none', 'malicious': False},
             None, write),
            ('GET', '/api/v1/regimes', None, None, read | {'admin'}),
            ('GET', '/api/v1/regimes/uk_gdpr_art33_ico', None, None,
             read | {'admin'}),
            ('POST', '/api/v1/regimes', new_regime_body, None, {'admin'}),
            ('PATCH', '/api/v1/regimes/uk_nis_reg11_oes',
             lambda: {'notes': 'matrix'}, None, {'admin'}),
            ('POST', lambda: '/api/v1/regimes/%s/retire' % new_regime(),
             lambda: {'reason': 'matrix'}, None, {'admin'}),
            ('GET', '/api/v1/audit/verify', None, None, {'dpo', 'admin'}),
            ('GET', '/api/v1/users', None, None, {'admin'}),
            ('POST', '/api/v1/users', new_user, None, {'admin'}),
            ('POST', '/api/v1/tokens', lambda: {'user': 'viewer'}, None,
             {'admin'}),
            ('DELETE', lambda: '/api/v1/tokens/%d' % token_id(), None, None,
             {'admin'}),
            ('GET', '/api/v1/me', None, None, set(ROLES)),
        ]

    def test_role_matrix(self):
        for method, path, body, hdrs, allowed in self.routes():
            # Denied roles first, so that allowed writes cannot mask them.
            for role in sorted(ROLES, key=lambda r: r in allowed):
                p = path() if callable(path) else path
                name = '%s %s as %s' % (method, p, role)
                with self.subTest(name):
                    b = body() if callable(body) else body
                    h = hdrs() if hdrs else None
                    r = self.fx.as_(role, method, p, body=b, headers=h)
                    if role in allowed:
                        self.assertNotIn(r[0], (401, 403, 404, 405),
                                         '%s: %r' % (name, r[2]))
                    else:
                        self.assertProblem(r, 403, 'forbidden', msg=name)

    def test_reporter_other_incident_404(self):
        other = self.create(user='reporter2', title='not yours')
        i = '/api/v1/incidents/%d' % other['id']
        for p in (i, i + '/obligations', i + '/events', i + '/risk-decisions'):
            with self.subTest(p):
                self.assertProblem(self.fx.as_('reporter', 'GET', p), 404,
                                   'not-found', msg=p)
        # and the owner can read it
        self.assertEqual(self.fx.as_('reporter2', 'GET', i)[0], 200)


if __name__ == '__main__':
    harness.main()
