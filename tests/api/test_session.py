"""Web sign-in: sessions by cookie, CSRF on writes, passwords, throttling."""
import re
import subprocess
import unittest

import harness

PW = 'correct horse battery staple'
COOKIE_RE = re.compile(r'^bc_session=([A-Za-z0-9_-]{43}); Path=/; HttpOnly; '
                       r'SameSite=Strict; Max-Age=86400$')


def setUpModule():
    fx = harness.setup_module()
    for name, role in (('alice', 'handler'), ('bob', 'handler'),
                       ('carol', 'viewer'), ('dave', 'dpo'),
                       ('erin', 'reporter')):
        p = subprocess.run([harness.BIN, 'user', 'add', '--db', fx.db,
                            '--name', name, '--role', role,
                            '--password-file', '-'], input=PW + '\n',
                           text=True, capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr)


def tearDownModule():
    harness.teardown_module()


class Session(harness.ApiCase):

    def sign_in(self, user, password=PW, headers=None):
        return self.fx.request('POST', '/api/v1/session', body={
            'username': user, 'password': password}, headers=headers)

    def session(self, user):
        """Sign in; return (cookie header value, csrf token, user json)."""
        st, h, b = self.sign_in(user)
        self.assertEqual(st, 200, b)
        m = COOKIE_RE.match(h['set-cookie'])
        self.assertIsNotNone(m, h['set-cookie'])
        return 'bc_session=' + m.group(1), b['csrf_token'], b['user']

    def with_cookie(self, cookie, method, path, body=None, csrf=None,
                    headers=None):
        h = {'Cookie': cookie}
        if csrf is not None:
            h['X-CSRF-Token'] = csrf
        h.update(headers or {})
        return self.fx.request(method, path, body=body, headers=h)

    def test_sign_in_sets_a_session_cookie(self):
        cookie, csrf, user = self.session('alice')
        self.assertRegex(csrf, r'^[A-Za-z0-9_-]{43}$')
        self.assertEqual(user['name'], 'alice')
        self.assertEqual(user['role'], 'handler')
        self.assertEqual(user['tz'], 'Europe/London')
        st, _, me = self.with_cookie(cookie, 'GET', '/api/v1/me')
        self.assertEqual((st, me), (200, user))
        st, _, s = self.with_cookie(cookie, 'GET', '/api/v1/session')
        self.assertEqual((st, s['csrf_token']), (200, csrf))
        # The same user with a bearer token has no CSRF token.
        st, _, s = self.fx.as_('handler', 'GET', '/api/v1/session')
        self.assertEqual((st, s['csrf_token']), (200, None))

    def test_secure_behind_tls_proxy(self):
        st, h, _ = self.sign_in('alice',
                                headers={'X-Forwarded-Proto': 'https'})
        self.assertEqual(st, 200)
        self.assertTrue(h['set-cookie'].endswith('; Secure'), h['set-cookie'])

    def test_writes_need_the_csrf_token(self):
        cookie, csrf, _ = self.session('alice')
        body = {'title': 'Laptop left on a train',
                'discovered_at': harness.ts(harness.now())}
        r = self.with_cookie(cookie, 'POST', '/api/v1/incidents', body)
        self.assertProblem(r, 403, 'csrf')
        other = self.session('bob')[1]
        r = self.with_cookie(cookie, 'POST', '/api/v1/incidents', body,
                             csrf=other)
        self.assertProblem(r, 403, 'csrf')
        r = self.with_cookie(cookie, 'POST', '/api/v1/incidents', body,
                             csrf=csrf[:-1])
        self.assertProblem(r, 403, 'csrf')
        st, _, inc = self.with_cookie(cookie, 'POST', '/api/v1/incidents',
                                      body, csrf=csrf)
        self.assertEqual(st, 201, inc)
        self.assertEqual(inc['reporter'], 'alice')
        # Reads need no token.
        st, _, _ = self.with_cookie(cookie, 'GET',
                                    '/api/v1/incidents/%d' % inc['id'])
        self.assertEqual(st, 200)

    def test_roles_apply_to_sessions(self):
        cookie, csrf, _ = self.session('carol')
        r = self.with_cookie(cookie, 'POST', '/api/v1/incidents', {
            'title': 'x', 'discovered_at': harness.ts(harness.now())},
            csrf=csrf)
        self.assertProblem(r, 403, 'forbidden')

    def test_a_bearer_header_wins_over_the_cookie(self):
        cookie, _, _ = self.session('alice')
        r = self.with_cookie(cookie, 'GET', '/api/v1/me', headers={
            'Authorization': 'Bearer bc_' + 'x' * 43})
        self.assertProblem(r, 401, 'unauthorized')

    def test_bad_cookies(self):
        for c in ('bc_session=', 'bc_session=' + 'A' * 43,
                  'bc_session=' + 'A' * 44, 'other=1'):
            r = self.fx.request('GET', '/api/v1/me', headers={'Cookie': c})
            self.assertProblem(r, 401, 'unauthorized', msg=c)

    def test_wrong_credentials_look_alike(self):
        a = self.sign_in('bob', 'not the password at all')
        b = self.sign_in('nobody', 'not the password at all')
        c = self.sign_in('reporter', 'no password was ever set')
        for r in (a, b, c):
            self.assertProblem(r, 401, 'invalid-credentials')
            self.assertNotIn('set-cookie', r[1])
        self.assertEqual(a[2]['detail'], b[2]['detail'])
        self.assertEqual(b[2]['detail'], c[2]['detail'])

    def test_bad_bodies(self):
        self.assertProblem(self.fx.request('POST', '/api/v1/session', body={
            'username': 'alice'}), 400, 'invalid-field', 'password')
        self.assertProblem(self.fx.request('POST', '/api/v1/session', body={
            'password': PW}), 400, 'invalid-field', 'username')
        self.assertProblem(self.fx.request('POST', '/api/v1/session', body={
            'username': 'alice', 'password': PW, 'remember': True}),
            400, 'invalid-field', 'remember')
        self.assertProblem(self.fx.request('POST', '/api/v1/session', body={
            'username': 'alice', 'password': 'x' * 257}),
            400, 'invalid-field', 'password')
        self.assertProblem(self.fx.request(
            'POST', '/api/v1/session', raw='username=alice',
            headers={'Content-Type': 'application/x-www-form-urlencoded'}),
            415, 'unsupported-media-type')

    def test_throttling_after_five_failures(self):
        for i in range(5):
            r = self.sign_in('dave', 'wrong password %d' % i)
            self.assertProblem(r, 401, 'invalid-credentials', msg=i)
        # Locked now, even with the right password.
        r = self.sign_in('dave')
        self.assertProblem(r, 429, 'too-many-attempts')
        # Locked for 30 s from the fifth failure (a second may have passed).
        wait = int(r[1]['retry-after'])
        self.assertIn(wait, (29, 30))
        self.assertIn('%d seconds' % wait, r[2]['detail'])
        # Another user from the same address is not locked.
        self.assertEqual(self.sign_in('bob')[0], 200)

    def test_sign_out(self):
        cookie, csrf, _ = self.session('bob')
        r = self.with_cookie(cookie, 'DELETE', '/api/v1/session')
        self.assertProblem(r, 403, 'csrf')
        st, h, _ = self.with_cookie(cookie, 'DELETE', '/api/v1/session',
                                    csrf=csrf)
        self.assertEqual(st, 204)
        self.assertIn('bc_session=;', h['set-cookie'])
        self.assertIn('Max-Age=0', h['set-cookie'])
        r = self.with_cookie(cookie, 'GET', '/api/v1/me')
        self.assertProblem(r, 401, 'unauthorized')

    def test_change_own_password(self):
        st, _, _ = self.fx.as_('admin', 'POST', '/api/v1/users', body={
            'name': 'frank', 'role': 'viewer', 'password': PW})
        self.assertEqual(st, 201)
        keep, csrf, _ = self.session('frank')
        other, _, _ = self.session('frank')
        path = '/api/v1/me/password'
        r = self.with_cookie(keep, 'PUT', path, {
            'current_password': 'wrong one entirely',
            'new_password': 'a brand new passphrase'}, csrf=csrf)
        self.assertProblem(r, 400, 'invalid-field', 'current_password')
        r = self.with_cookie(keep, 'PUT', path, {
            'current_password': PW, 'new_password': 'short'}, csrf=csrf)
        self.assertProblem(r, 400, 'invalid-field', 'new_password')
        st, _, _ = self.with_cookie(keep, 'PUT', path, {
            'current_password': PW,
            'new_password': 'a brand new passphrase'}, csrf=csrf)
        self.assertEqual(st, 204)
        self.assertEqual(self.with_cookie(keep, 'GET', '/api/v1/me')[0], 200)
        r = self.with_cookie(other, 'GET', '/api/v1/me')
        self.assertProblem(r, 401, 'unauthorized')
        self.assertProblem(self.sign_in('frank'), 401, 'invalid-credentials')
        self.assertEqual(self.sign_in('frank', 'a brand new passphrase')[0],
                         200)

    def test_admin_sets_a_password(self):
        st, _, _ = self.fx.as_('admin', 'POST', '/api/v1/users', body={
            'name': 'grace', 'role': 'handler', 'password': PW})
        self.assertEqual(st, 201)
        cookie, _, user = self.session('grace')
        path = '/api/v1/users/%d/password' % user['id']
        for who in ('handler', 'dpo', 'viewer', 'reporter'):
            r = self.fx.as_(who, 'PUT', path, body={'password': 'x' * 12})
            self.assertProblem(r, 403, 'forbidden', msg=who)
        r = self.fx.as_('admin', 'PUT', path, body={'password': 'x' * 11})
        self.assertProblem(r, 400, 'invalid-field', 'password')
        r = self.fx.as_('admin', 'PUT', '/api/v1/users/999999/password',
                        body={'password': 'x' * 12})
        self.assertProblem(r, 404, 'not-found')
        st, _, _ = self.fx.as_('admin', 'PUT', path,
                               body={'password': 'set by the admin'})
        self.assertEqual(st, 204)
        r = self.with_cookie(cookie, 'GET', '/api/v1/me')
        self.assertProblem(r, 401, 'unauthorized')
        self.assertEqual(self.sign_in('grace', 'set by the admin')[0], 200)
        st, _, v = self.fx.as_('admin', 'GET', '/api/v1/audit/verify')
        self.assertEqual((st, v['ok']), (200, True))

    def test_create_user_password_checked(self):
        r = self.fx.as_('admin', 'POST', '/api/v1/users', body={
            'name': 'heidi', 'role': 'viewer', 'password': 'too short'})
        self.assertProblem(r, 400, 'invalid-field', 'password')
        r = self.fx.as_('admin', 'POST', '/api/v1/users', body={
            'name': 'heidi', 'role': 'viewer', 'password': 12345678901234})
        self.assertProblem(r, 400, 'invalid-field', 'password')

    def test_cli_sets_a_password(self):
        p = subprocess.run([harness.BIN, 'user', 'password', '--db',
                            self.fx.db, '--name', 'erin', '--password-file',
                            '-'], input='short\n', text=True,
                           capture_output=True)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn('12 to 256 characters', p.stderr)
        p = subprocess.run([harness.BIN, 'user', 'password', '--db',
                            self.fx.db, '--name', 'nobody',
                            '--password-file', '-'], input=PW + '\n',
                           text=True, capture_output=True)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn('no user called nobody', p.stderr)
        p = subprocess.run([harness.BIN, 'user', 'password', '--db',
                            self.fx.db, '--name', 'erin', '--password-file',
                            '-'], input='reset from the shell\n', text=True,
                           capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(self.sign_in('erin', 'reset from the shell')[0],
                         200)


if __name__ == '__main__':
    unittest.main(verbosity=2)
