"""Users and tokens: admin API, /me, and the CLI."""

import datetime
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import TOKEN_RE, now  # noqa: E402


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Users(harness.ApiCase):

    def admin(self, method, path, body=None):
        return self.fx.as_('admin', method, path, body=body)

    def new_token(self, body):
        r = self.admin('POST', '/api/v1/tokens', body)
        self.assertStatus(r, 201)
        return r[2]

    def test_me_every_role(self):
        for name, role in harness.USERS.items():
            with self.subTest(name):
                st, h, b = self.fx.as_(name, 'GET', '/api/v1/me')
                self.assertEqual(st, 200, b)
                self.assertEqual(set(b), {'id', 'name', 'role', 'email',
                                          'tz'})
                self.assertIsInstance(b['id'], int)
                self.assertEqual(b['tz'], 'Europe/London')
                self.assertEqual(b['name'], name)
                self.assertEqual(b['role'], role)
                self.assertIsNone(b['email'])

    def test_create_user_and_token(self):
        before = now()
        st, h, u = self.admin('POST', '/api/v1/users', {
            'name': 'alice.o-k_1', 'role': 'handler',
            'email': 'alice@example.com'})
        self.assertEqual(st, 201, u)
        self.assertEqual(u['name'], 'alice.o-k_1')
        self.assertEqual(u['role'], 'handler')
        self.assertEqual(u['email'], 'alice@example.com')
        # no tz given: the default zone
        self.assertEqual(u['tz'], 'Europe/London')
        st, _, lst = self.admin('GET', '/api/v1/users')
        self.assertEqual(st, 200)
        users = {x['name']: x for x in lst['items']}
        for name, role in harness.USERS.items():
            self.assertEqual(users[name]['role'], role)
        a = users['alice.o-k_1']
        self.assertEqual(set(a), {'id', 'name', 'role', 'email', 'tz',
                                  'created_at', 'disabled', 'has_password'})
        self.assertEqual(a['id'], u['id'])
        self.assertFalse(a['disabled'])
        self.assertEqual(a['email'], 'alice@example.com')
        self.assertEqual(a['tz'], 'Europe/London')
        # users added on the command line get the default zone too
        self.assertEqual(users['dpo']['tz'], 'Europe/London')
        c = self.assertTs(a['created_at'])
        self.assertLessEqual(abs((c - before).total_seconds()), 300)

        t = self.new_token({'user': 'alice.o-k_1'})
        self.assertEqual(set(t), {'id', 'user', 'token', 'expires_at'})
        self.assertEqual(t['user'], 'alice.o-k_1')
        self.assertIsInstance(t['id'], int)
        self.assertRegex(t['token'], TOKEN_RE)
        st, _, me = self.fx.request('GET', '/api/v1/me', token=t['token'])
        self.assertEqual(st, 200)
        self.assertEqual(me, {'id': u['id'], 'name': 'alice.o-k_1',
                              'role': 'handler', 'tz': 'Europe/London',
                              'email': 'alice@example.com'})
        # the new handler can do handler things, not admin things
        st, _, _ = self.fx.request('GET', '/api/v1/incidents',
                                   token=t['token'])
        self.assertEqual(st, 200)
        st, _, _ = self.fx.request('GET', '/api/v1/users', token=t['token'])
        self.assertEqual(st, 403)

    def test_token_expiry(self):
        t = self.new_token({'user': 'viewer', 'expires_in_days': 30})
        exp = self.assertTs(t['expires_at'])
        want = now() + datetime.timedelta(days=30)
        self.assertLessEqual(abs((exp - want).total_seconds()), 600)
        for d in (1, 3650):
            self.new_token({'user': 'viewer', 'expires_in_days': d})
        st, _, _ = self.fx.request('GET', '/api/v1/me', token=t['token'])
        self.assertEqual(st, 200)

    def test_token_validation(self):
        cases = [
            ({'user': 'viewer', 'expires_in_days': 0}, 'expires_in_days'),
            ({'user': 'viewer', 'expires_in_days': 3651}, 'expires_in_days'),
            ({'user': 'viewer', 'expires_in_days': '30'}, 'expires_in_days'),
            ({'user': 'viewer', 'expires_in_days': 1.5}, 'expires_in_days'),
            ({}, 'user'), ({'user': 5}, 'user'),
            ({'user': 'viewer', 'scope': 'all'}, 'scope'),
        ]
        for body, field in cases:
            with self.subTest(body):
                self.assertProblem(self.admin('POST', '/api/v1/tokens', body),
                                   400, 'invalid-field', field=field)
        r = self.admin('POST', '/api/v1/tokens', {'user': 'no-such-user'})
        self.assertIn(r[0], (400, 404, 422), r)
        self.assertProblem(r, r[0])

    def test_null_is_not_absent(self):
        # null is no value for a field that cannot be null (the spec): a
        # null expires_in_days once made a token that never expires
        for path, body, field in (
                ('/api/v1/tokens', {'user': 'viewer',
                                    'expires_in_days': None},
                 'expires_in_days'),
                ('/api/v1/tokens', {'user': None}, 'user'),
                ('/api/v1/users', {'name': 'nel', 'role': 'viewer',
                                   'email': None}, 'email'),
                ('/api/v1/users', {'name': 'nel', 'role': 'viewer',
                                   'tz': None}, 'tz'),
                ('/api/v1/users', {'name': 'nel', 'role': 'viewer',
                                   'password': None}, 'password')):
            with self.subTest(body):
                r = self.admin('POST', path, body)
                self.assertProblem(r, 400, 'invalid-field', field=field)
                self.assertEqual(r[2]['detail'], field + ': must not be null')
        names = [u['name'] for u in self.admin('GET', '/api/v1/users')[2]
                 ['items']]
        self.assertNotIn('nel', names)

    def test_revoke(self):
        t = self.new_token({'user': 'handler'})
        t2 = self.new_token({'user': 'handler'})
        self.assertNotEqual(t['token'], t2['token'])
        self.assertNotEqual(t['id'], t2['id'])
        self.assertEqual(self.fx.request('GET', '/api/v1/me',
                                         token=t['token'])[0], 200)
        st, h, b = self.admin('DELETE', '/api/v1/tokens/%d' % t['id'])
        self.assertEqual(st, 204, b)
        self.assertEqual(b, b'')
        r = self.fx.request('GET', '/api/v1/me', token=t['token'])
        self.assertProblem(r, 401, 'unauthorized')
        self.assertTrue(r[1].get('www-authenticate', '').startswith('Bearer'))
        # only that token
        self.assertEqual(self.fx.request('GET', '/api/v1/me',
                                         token=t2['token'])[0], 200)
        self.assertEqual(self.fx.as_('handler', 'GET', '/api/v1/me')[0], 200)
        for p in ('/api/v1/tokens/999999', '/api/v1/tokens/abc'):
            with self.subTest(p):
                self.assertProblem(self.admin('DELETE', p), 404, 'not-found')

    def test_user_validation(self):
        cases = [
            ({'name': 'Alice', 'role': 'viewer'}, 'name'),
            ({'name': 'a b', 'role': 'viewer'}, 'name'),
            ({'name': '', 'role': 'viewer'}, 'name'),
            ({'name': 'a' * 65, 'role': 'viewer'}, 'name'),
            ({'name': 'bob/x', 'role': 'viewer'}, 'name'),
            ({'name': 5, 'role': 'viewer'}, 'name'),
            ({'role': 'viewer'}, 'name'),
            ({'name': 'bob'}, 'role'),
            ({'name': 'bob', 'role': 'root'}, 'role'),
            ({'name': 'bob', 'role': 'viewer', 'email': 5}, 'email'),
            ({'name': 'bob', 'role': 'viewer', 'password': 'x'}, 'password'),
            ({'name': 'bob', 'role': 'viewer', 'tz': 'Mars/Olympus'}, 'tz'),
            ({'name': 'bob', 'role': 'viewer', 'tz': '../etc/passwd'},
             'tz'),
            ({'name': 'bob', 'role': 'viewer', 'tz': ''}, 'tz'),
            ({'name': 'bob', 'role': 'viewer', 'tz': 5}, 'tz'),
            ({'name': 'bob', 'role': 'viewer', 'tz': 'E' * 65}, 'tz'),
        ]
        for body, field in cases:
            with self.subTest(body=repr(body)[:50]):
                self.assertProblem(self.admin('POST', '/api/v1/users', body),
                                   400, 'invalid-field', field=field)
        names = [u['name'] for u in self.admin('GET', '/api/v1/users')[2]
                 ['items']]
        self.assertNotIn('bob', names)
        st, _, u = self.admin('POST', '/api/v1/users',
                              {'name': 'a' * 64, 'role': 'notifier'})
        self.assertEqual(st, 201, u)
        self.assertIsNone(u['email'])

    def test_user_tz(self):
        for name, tz in (('tz.ny', 'America/New_York'), ('tz.utc', 'UTC'),
                         ('tz.kolkata', 'Asia/Kolkata')):
            with self.subTest(tz):
                st, _, u = self.admin('POST', '/api/v1/users', {
                    'name': name, 'role': 'dpo',
                    'email': name + '@example.com', 'tz': tz})
                self.assertEqual(st, 201, u)
                self.assertEqual(u['tz'], tz)
        users = {u['name']: u for u in self.admin('GET', '/api/v1/users')[2]
                 ['items']}
        self.assertEqual(users['tz.ny']['tz'], 'America/New_York')
        self.assertEqual(users['tz.utc']['tz'], 'UTC')
        self.assertEqual(users['tz.kolkata']['tz'], 'Asia/Kolkata')

    def test_duplicate_user(self):
        st, _, _ = self.admin('POST', '/api/v1/users',
                              {'name': 'dupe', 'role': 'viewer'})
        self.assertEqual(st, 201)
        r = self.admin('POST', '/api/v1/users', {'name': 'dupe',
                                                 'role': 'dpo'})
        self.assertProblem(r, 409, 'conflict')
        self.assertProblem(self.admin('POST', '/api/v1/users', {
            'name': 'handler', 'role': 'viewer'}), 409, 'conflict')
        users = {u['name']: u for u in self.admin('GET', '/api/v1/users')[2]
                 ['items']}
        self.assertEqual(users['dupe']['role'], 'viewer')

    def test_concurrent_duplicate_users(self):
        n = 8
        barrier = threading.Barrier(n)
        out = [None] * n

        def worker(i):
            barrier.wait()
            out[i] = self.admin('POST', '/api/v1/users',
                                {'name': 'racer', 'role': 'viewer'})

        ts_ = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in ts_:
            t.start()
        for t in ts_:
            t.join(60)
        self.assertEqual(sorted(r[0] for r in out), [201] + [409] * (n - 1))

    def test_non_admin_forbidden(self):
        for user in ('handler', 'dpo', 'viewer', 'reporter', 'notifier'):
            for method, path, body in (
                    ('GET', '/api/v1/users', None),
                    ('POST', '/api/v1/users', {'name': 'evil',
                                               'role': 'admin'}),
                    ('POST', '/api/v1/tokens', {'user': 'admin'}),
                    ('DELETE', '/api/v1/tokens/1', None)):
                with self.subTest(user=user, route=method + ' ' + path):
                    self.assertProblem(self.fx.as_(user, method, path,
                                                   body=body),
                                       403, 'forbidden')
        names = [u['name'] for u in self.admin('GET', '/api/v1/users')[2]
                 ['items']]
        self.assertNotIn('evil', names)
        self.assertEqual(self.fx.as_('admin', 'GET', '/api/v1/me')[0], 200)


class Cli(harness.ApiCase):

    def test_token_create_prints_only_token(self):
        p = harness.run_cli('token', 'create', '--db', self.fx.db,
                            '--user', 'dpo')
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertRegex(p.stdout, r'\Abc_[A-Za-z0-9_-]{43}\n\Z')
        tok = p.stdout.strip()
        st, _, me = self.fx.request('GET', '/api/v1/me', token=tok)
        self.assertEqual(st, 200)
        self.assertEqual(me['name'], 'dpo')
        p2 = harness.run_cli('token', 'create', '--db', self.fx.db,
                             '--user', 'dpo', '--expires-days', '2')
        self.assertEqual(p2.returncode, 0, p2.stderr)
        self.assertRegex(p2.stdout, r'\Abc_[A-Za-z0-9_-]{43}\n\Z')
        self.assertNotEqual(p2.stdout, p.stdout)
        self.assertEqual(self.fx.request('GET', '/api/v1/me',
                                         token=p2.stdout.strip())[0], 200)

    def test_token_create_unknown_user(self):
        p = harness.run_cli('token', 'create', '--db', self.fx.db,
                            '--user', 'ghost')
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stdout, '')

    def test_user_add(self):
        p = harness.run_cli('user', 'add', '--db', self.fx.db, '--name',
                            'carol', '--role', 'dpo', '--email',
                            'carol@example.com')
        self.assertEqual(p.returncode, 0, p.stderr)
        p = harness.run_cli('token', 'create', '--db', self.fx.db,
                            '--user', 'carol')
        self.assertEqual(p.returncode, 0, p.stderr)
        st, _, me = self.fx.request('GET', '/api/v1/me',
                                    token=p.stdout.strip())
        self.assertEqual(st, 200)
        me.pop('id')
        self.assertEqual(me, {'name': 'carol', 'role': 'dpo',
                              'tz': 'Europe/London',
                              'email': 'carol@example.com'})

    def test_user_add_duplicate(self):
        p = harness.run_cli('user', 'add', '--db', self.fx.db, '--name',
                            'handler', '--role', 'viewer')
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertTrue(p.stderr.strip())
        st, _, me = self.fx.as_('handler', 'GET', '/api/v1/me')
        self.assertEqual(me['role'], 'handler')

    def test_user_add_bad_role(self):
        p = harness.run_cli('user', 'add', '--db', self.fx.db, '--name',
                            'dave', '--role', 'superuser')
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        names = [u['name'] for u in self.fx.as_(
            'admin', 'GET', '/api/v1/users')[2]['items']]
        self.assertNotIn('dave', names)


if __name__ == '__main__':
    harness.main()
