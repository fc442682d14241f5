"""Users by id (GET/PATCH /api/v1/users/{id}: role, email, tz, disabled)
and the token list (GET /api/v1/tokens): behaviour, audit events,
validation, the admin's self-protection, pagination and roles."""

import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import TOKEN_RE  # noqa: E402

USER_KEYS = {'id', 'name', 'role', 'email', 'tz', 'created_at', 'disabled',
             'has_password'}
TOKEN_KEYS = {'id', 'user', 'created_at', 'expires_at', 'revoked_at'}
ROLES = set(harness.USERS)


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class UsersById(harness.ApiCase):

    def admin(self, method, path, body=None):
        return self.fx.as_('admin', method, path, body=body)

    def add_user(self, name, role='handler', **extra):
        body = dict(name=name, role=role, **extra)
        r = self.admin('POST', '/api/v1/users', body)
        self.assertStatus(r, 201, 'add %s' % name)
        self.assertEqual(r[1].get('location'), '/api/v1/users/%d' %
                         r[2]['id'])
        return r[2]

    def token_for(self, name):
        r = self.admin('POST', '/api/v1/tokens', {'user': name})
        self.assertStatus(r, 201)
        self.assertRegex(r[2]['token'], TOKEN_RE)
        return r[2]

    def user_events(self, user_id):
        """The user.changed events about a user, from the audit log."""
        db = sqlite3.connect(self.fx.db)
        try:
            rows = db.execute("SELECT actor, data FROM events WHERE "
                              "action = 'user.changed' ORDER BY id").fetchall()
        finally:
            db.close()
        out = []
        for actor, data in rows:
            d = json.loads(data)
            if d['user_id'] == user_id:
                out.append((actor, d))
        return out

    def me_id(self, user):
        st, _, lst = self.admin('GET', '/api/v1/users')
        self.assertEqual(st, 200)
        return {u['name']: u['id'] for u in lst['items']}[user]

    def test_get(self):
        u = self.add_user('gina', 'viewer', email='gina@example.com',
                          tz='Asia/Tokyo')
        self.assertEqual(set(u), USER_KEYS)
        r = self.admin('GET', '/api/v1/users/%d' % u['id'])
        self.assertStatus(r, 200)
        self.assertEqual(r[2], u)
        self.assertEqual(r[2]['disabled'], False)
        self.assertEqual(r[2]['has_password'], False)
        st, _, lst = self.admin('GET', '/api/v1/users')
        self.assertIn(u, lst['items'])
        self.assertProblem(self.admin('GET', '/api/v1/users/999999'), 404,
                           'not-found')

    def test_has_password(self):
        u = self.add_user('pia', password='correct horse battery')
        self.assertTrue(u['has_password'])
        r = self.admin('GET', '/api/v1/users/%d' % u['id'])
        self.assertTrue(r[2]['has_password'])

    def test_patch_fields_and_audit(self):
        u = self.add_user('hugo', 'handler', email='hugo@example.com')
        path = '/api/v1/users/%d' % u['id']
        r = self.admin('PATCH', path, {'role': 'dpo', 'tz': 'America/Chicago'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['role'], 'dpo')
        self.assertEqual(r[2]['tz'], 'America/Chicago')
        self.assertEqual(r[2]['email'], 'hugo@example.com')
        r = self.admin('PATCH', path, {'email': None})
        self.assertStatus(r, 200)
        self.assertIsNone(r[2]['email'])
        r = self.admin('PATCH', path, {'email': 'h@example.org'})
        self.assertEqual(r[2]['email'], 'h@example.org')
        self.assertEqual(self.admin('GET', path)[2], r[2])
        ev = self.user_events(u['id'])
        self.assertEqual(len(ev), 3)
        self.assertEqual(ev[0][0], 'admin')
        self.assertEqual(ev[0][1]['name'], 'hugo')
        self.assertEqual(ev[0][1]['changes'], {
            'role': {'from': 'handler', 'to': 'dpo'},
            'tz': {'from': 'Europe/London', 'to': 'America/Chicago'}})
        self.assertEqual(ev[1][1]['changes'],
                         {'email': {'from': 'hugo@example.com', 'to': None}})
        # the same values again: no change, no event
        r = self.admin('PATCH', path, {'role': 'dpo', 'email': 'h@example.org'})
        self.assertStatus(r, 200)
        self.assertEqual(len(self.user_events(u['id'])), 3)
        # the audit chain still verifies
        r = self.admin('GET', '/api/v1/audit/verify')
        self.assertStatus(r, 200)
        self.assertTrue(r[2]['ok'])

    def test_disable_stops_tokens_at_once(self):
        u = self.add_user('ivan', 'handler')
        t = self.token_for('ivan')['token']
        path = '/api/v1/users/%d' % u['id']
        self.assertStatus(self.fx.request('GET', '/api/v1/me', token=t), 200)
        r = self.admin('PATCH', path, {'disabled': True})
        self.assertStatus(r, 200)
        self.assertTrue(r[2]['disabled'])
        self.assertProblem(self.fx.request('GET', '/api/v1/me', token=t), 401,
                           'unauthorized')
        self.assertProblem(self.fx.request('GET', '/api/v1/incidents',
                                           token=t), 401, 'unauthorized')
        # disabling twice changes nothing
        r = self.admin('PATCH', path, {'disabled': True})
        self.assertTrue(r[2]['disabled'])
        r = self.admin('PATCH', path, {'disabled': False})
        self.assertFalse(r[2]['disabled'])
        self.assertStatus(self.fx.request('GET', '/api/v1/me', token=t), 200)
        changes = [d['changes'] for _, d in self.user_events(u['id'])]
        self.assertEqual(changes, [
            {'disabled': {'from': False, 'to': True}},
            {'disabled': {'from': True, 'to': False}}])

    def test_disable_stops_sessions_and_sign_in(self):
        pw = 'correct horse battery staple'
        u = self.add_user('lena', 'viewer', password=pw)
        r = self.fx.request('POST', '/api/v1/session',
                            body={'username': 'lena', 'password': pw})
        self.assertStatus(r, 200)
        cookie = r[1]['set-cookie'].split(';')[0]
        me = self.fx.request('GET', '/api/v1/me', headers={'Cookie': cookie})
        self.assertStatus(me, 200)
        r = self.admin('PATCH', '/api/v1/users/%d' % u['id'],
                       {'disabled': True})
        self.assertStatus(r, 200)
        self.assertProblem(self.fx.request('GET', '/api/v1/me',
                                           headers={'Cookie': cookie}),
                           401, 'unauthorized')
        r = self.fx.request('POST', '/api/v1/session',
                            body={'username': 'lena', 'password': pw})
        self.assertProblem(r, 401)
        r = self.admin('PATCH', '/api/v1/users/%d' % u['id'],
                       {'disabled': False})
        self.assertStatus(r, 200)
        # enabling again does not bring the old session back
        self.assertProblem(self.fx.request('GET', '/api/v1/me',
                                           headers={'Cookie': cookie}),
                           401, 'unauthorized')
        r = self.fx.request('POST', '/api/v1/session',
                            body={'username': 'lena', 'password': pw})
        self.assertStatus(r, 200)

    def test_admin_cannot_disable_or_demote_themselves(self):
        me = self.me_id('admin')
        path = '/api/v1/users/%d' % me
        r = self.admin('PATCH', path, {'disabled': True})
        self.assertProblem(r, 409, 'conflict', field='disabled')
        r = self.admin('PATCH', path, {'role': 'viewer'})
        self.assertProblem(r, 409, 'conflict', field='role')
        r = self.admin('PATCH', path, {'role': 'admin', 'tz': 'UTC'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['role'], 'admin')
        self.assertFalse(r[2]['disabled'])
        # another admin may be disabled and demoted
        other = self.add_user('root2', 'admin')
        r = self.admin('PATCH', '/api/v1/users/%d' % other['id'],
                       {'role': 'viewer', 'disabled': True})
        self.assertStatus(r, 200)
        self.assertEqual((r[2]['role'], r[2]['disabled']), ('viewer', True))

    def test_patch_validation(self):
        u = self.add_user('jude', 'viewer')
        path = '/api/v1/users/%d' % u['id']
        bad = [({'role': 'boss'}, 'role'), ({'role': None}, 'role'),
               ({'role': 3}, 'role'), ({'email': 'not-an-address'}, 'email'),
               ({'email': 5}, 'email'), ({'tz': 'Mars/Olympus'}, 'tz'),
               ({'tz': None}, 'tz'), ({'tz': '../etc/passwd'}, 'tz'),
               ({'disabled': 'yes'}, 'disabled'), ({'disabled': None},
                                                   'disabled'),
               ({'disabled': 1}, 'disabled'), ({'name': 'x'}, 'name'),
               ({'password': 'long enough password'}, 'password')]
        for body, field in bad:
            with self.subTest(body):
                self.assertProblem(self.admin('PATCH', path, body), 400,
                                   'invalid-field', field=field)
        self.assertProblem(self.admin('PATCH', path, {}), 400,
                           'invalid-field')
        self.assertEqual(self.admin('GET', path)[2], u)
        self.assertEqual(self.user_events(u['id']), [])
        self.assertProblem(self.admin('PATCH', '/api/v1/users/999999',
                                      {'role': 'dpo'}), 404, 'not-found')

    def test_roles(self):
        uid = self.me_id('viewer')
        cases = [('GET', '/api/v1/users/%d' % uid, None),
                 ('PATCH', '/api/v1/users/%d' % uid, {'tz': 'UTC'}),
                 ('GET', '/api/v1/tokens', None)]
        for method, path, body in cases:
            for role in sorted(ROLES - {'admin'}):
                with self.subTest(method + ' ' + path + ' as ' + role):
                    self.assertProblem(self.fx.as_(role, method, path,
                                                   body=body), 403,
                                       'forbidden')
            with self.subTest(method + ' ' + path + ' as admin'):
                self.assertStatus(self.admin(method, path, body), 200)


class Tokens(harness.ApiCase):

    def list(self, query=''):
        r = self.fx.as_('admin', 'GET', '/api/v1/tokens' + query)
        self.assertStatus(r, 200, query)
        return r[2]

    def all_ids(self, query='', limit=200):
        sep = '&' if query else '?'
        base = query + sep + 'limit=%d' % limit
        out, q = [], base
        while True:
            page = self.list(q)
            self.assertLessEqual(len(page['items']), limit)
            out += page['items']
            if page['next_cursor'] is None:
                return out
            q = base + '&cursor=' + page['next_cursor']

    def test_list(self):
        r = self.fx.as_('admin', 'POST', '/api/v1/users',
                        body={'name': 'kim', 'role': 'viewer'})
        self.assertStatus(r, 201)
        kim = r[2]['id']
        made = []
        for days in (None, 30, 1):
            body = {'user': 'kim'}
            if days:
                body['expires_in_days'] = days
            r = self.fx.as_('admin', 'POST', '/api/v1/tokens', body=body)
            self.assertStatus(r, 201)
            made.append(r[2])
        r = self.fx.as_('admin', 'DELETE', '/api/v1/tokens/%d' % made[2]['id'])
        self.assertStatus(r, 204)
        every = self.all_ids()
        ids = [t['id'] for t in every]
        self.assertEqual(ids, sorted(ids, reverse=True))
        for t in every:
            self.assertEqual(set(t), TOKEN_KEYS)
            self.assertEqual(set(t['user']), {'id', 'name'})
            self.assertNotIn('token', t)
            self.assertNotIn('hash', t)
        # the fixture's own tokens are there too (one per role)
        names = {t['user']['name'] for t in every}
        self.assertLessEqual(set(harness.USERS), names)
        mine = self.all_ids('?user_id=%d' % kim)
        self.assertEqual([t['id'] for t in mine],
                         [m['id'] for m in reversed(made)])
        by_id = {t['id']: t for t in mine}
        self.assertEqual(by_id[made[0]['id']]['user'],
                         {'id': kim, 'name': 'kim'})
        self.assertIsNone(by_id[made[0]['id']]['expires_at'])
        self.assertEqual(by_id[made[1]['id']]['expires_at'],
                         made[1]['expires_at'])
        self.assertIsNone(by_id[made[1]['id']]['revoked_at'])
        self.assertIsNotNone(by_id[made[2]['id']]['revoked_at'])
        self.assertTs(by_id[made[2]['id']]['revoked_at'])
        self.assertTs(by_id[made[0]['id']]['created_at'])
        # pages of one and two give the same sequence
        self.assertEqual([t['id'] for t in self.all_ids(limit=1)], ids)
        self.assertEqual([t['id'] for t in self.all_ids(limit=2)], ids)
        self.assertEqual(self.list('?user_id=999999'),
                         {'items': [], 'next_cursor': None})

    def test_validation(self):
        for name, value in [('limit', '0'), ('limit', '201'),
                            ('limit', 'ten'), ('cursor', 'x'),
                            ('cursor', '-1'), ('user_id', '0'),
                            ('user_id', 'kim'), ('state', 'live')]:
            with self.subTest(name + '=' + value):
                r = self.fx.as_('admin', 'GET',
                                '/api/v1/tokens?%s=%s' % (name, value))
                self.assertProblem(r, 400, 'invalid-query', field=name)


if __name__ == '__main__':
    harness.main()
