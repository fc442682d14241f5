"""The permission matrix: every route of server/router.c x every role x
every way of being nobody, against the table below of what is allowed.

The route table is read from server/router.c, so a route added there
without a row here fails test_table_matches_router.  For each route:

* every role the table denies gets 403 `forbidden`; every role it allows
  gets the route's success status (a real request with a valid body and
  fresh resources, so "allowed" means the work is done, not just that the
  door opened);
* no token, a malformed token, an unknown token, an expired token, a
  revoked token, and the token of a disabled user each get 401 (the public
  routes, GET /healthz and POST /api/v1/session, answer as usual; GET
  /metrics opens to a loopback peer without credentials and to the
  metrics token only, so every user token gets 401 there);
* a reporter reaches only incidents they reported (404 for another's);
* with a session cookie, a write without its X-CSRF-Token (or with a
  wrong one) gets 403 `csrf`; a calendar feed token opens the feed only.
"""

import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROUTER_C = os.path.join(harness.REPO, 'server', 'router.c')

ROLES = ('reporter', 'handler', 'dpo', 'viewer', 'admin', 'notifier')
MACROS = {'R': 'reporter', 'H': 'handler', 'D': 'dpo', 'V': 'viewer',
          'A': 'admin', 'ROLE_REPORTER': 'reporter',
          'ROLE_HANDLER': 'handler', 'ROLE_DPO': 'dpo',
          'ROLE_VIEWER': 'viewer', 'ROLE_ADMIN': 'admin',
          'ROLE_NOTIFIER': 'notifier'}
PASSWORD = 'matrix password 1'
ICO = 'uk_gdpr_art33_ico'
ART34 = 'uk_gdpr_art34_subjects'
PROC = 'uk_gdpr_art33_2_processor'

PUBLIC = 'public'
# GET /metrics: open to a loopback peer without credentials; any
# Authorization must be the metrics token (user tokens do not open it).
SCRAPE = 'scrape'
READ = {'reporter', 'handler', 'dpo', 'viewer'}
STAFF = {'handler', 'dpo', 'viewer', 'admin'}
PEOPLE = {'reporter', 'handler', 'dpo', 'viewer', 'admin'}
WRITE = {'handler', 'dpo'}

# (method, pattern): (who may call it, does a reporter see only their own)
# This is the policy; the router must agree with it.
TABLE = {
    ('GET', '/healthz'): (PUBLIC, False),
    ('GET', '/metrics'): (SCRAPE, False),
    ('GET', '/api/v1/calendar.ics'): (STAFF, False),
    ('GET', '/api/v1/me/calendar-token'): (STAFF, False),
    ('POST', '/api/v1/me/calendar-token'): (STAFF, False),
    ('DELETE', '/api/v1/me/calendar-token'): (STAFF, False),
    ('GET', '/api/v1/me'): (PEOPLE | {'notifier'}, False),
    ('PUT', '/api/v1/me/password'): (PEOPLE, False),
    ('POST', '/api/v1/session'): (PUBLIC, False),
    ('GET', '/api/v1/session'): (PEOPLE, False),
    ('DELETE', '/api/v1/session'): (PEOPLE, False),
    ('POST', '/api/v1/incidents'): ({'reporter', 'handler', 'dpo'}, False),
    ('GET', '/api/v1/incidents'): (READ, True),
    ('GET', '/api/v1/incidents/#'): (READ, True),
    ('PATCH', '/api/v1/incidents/#'): (WRITE, False),
    ('GET', '/api/v1/incidents/#/assessments'): (READ, True),
    ('POST', '/api/v1/incidents/#/assessments'): (WRITE, False),
    ('GET', '/api/v1/incidents/#/risk-decisions'): (READ, True),
    ('POST', '/api/v1/incidents/#/risk-decisions'): (WRITE, False),
    ('GET', '/api/v1/obligations'): ({'handler', 'dpo', 'viewer'}, False),
    ('GET', '/api/v1/incidents/#/obligations'): (READ, True),
    ('GET', '/api/v1/incidents/#/obligations/#'): (READ, True),
    ('POST', '/api/v1/incidents/#/obligations/#/notifications'):
        (WRITE, False),
    ('POST', '/api/v1/incidents/#/obligations/#/waive'): ({'dpo'}, False),
    ('GET', '/api/v1/incidents/#/notices/*'): (READ, True),
    ('POST', '/api/v1/incidents/#/art34-exemption'): ({'dpo'}, False),
    ('GET', '/api/v1/incidents/#/events'): (READ, True),
    ('POST', '/api/v1/incidents/#/notes'): (WRITE, False),
    ('GET', '/api/v1/audit/verify'): ({'dpo', 'admin'}, False),
    ('GET', '/api/v1/notifier/alerts'): ({'notifier'}, False),
    ('POST', '/api/v1/notifier/alerts/#/claim'): ({'notifier'}, False),
    ('POST', '/api/v1/notifier/alerts/#/ack'): ({'notifier'}, False),
    ('POST', '/api/v1/notifier/alerts/#/fail'): ({'notifier'}, False),
    ('POST', '/api/v1/notifier/alerts/#/release'): ({'notifier'}, False),
    ('GET', '/api/v1/alerts'): ({'dpo', 'admin'}, False),
    ('GET', '/api/v1/escalation'): ({'dpo', 'admin'}, False),
    ('PUT', '/api/v1/escalation'): ({'admin'}, False),
    ('GET', '/api/v1/regimes'): (PEOPLE, False),
    ('POST', '/api/v1/regimes'): ({'admin'}, False),
    ('GET', '/api/v1/regimes/*'): (PEOPLE, False),
    ('PATCH', '/api/v1/regimes/*'): ({'admin'}, False),
    ('POST', '/api/v1/regimes/*/retire'): ({'admin'}, False),
    ('GET', '/api/v1/register'): (STAFF, False),
    ('GET', '/api/v1/reports'): (STAFF, False),
    ('GET', '/api/v1/users'): ({'admin'}, False),
    ('POST', '/api/v1/users'): ({'admin'}, False),
    ('GET', '/api/v1/users/#'): ({'admin'}, False),
    ('PATCH', '/api/v1/users/#'): ({'admin'}, False),
    ('GET', '/api/v1/tokens'): ({'admin'}, False),
    ('PUT', '/api/v1/users/#/password'): ({'admin'}, False),
    ('POST', '/api/v1/tokens'): ({'admin'}, False),
    ('DELETE', '/api/v1/tokens/#'): ({'admin'}, False),
    ('GET', '/api/v1/holiday-sets'): (PEOPLE, False),
    ('GET', '/api/v1/holiday-sets/*'): (PEOPLE, False),
    ('PUT', '/api/v1/holiday-sets/*'): ({'admin'}, False),
}

ENTRY_RE = re.compile(
    r'\{\s*"(GET|POST|PUT|PATCH|DELETE|HEAD)",\s*"([^"]+)",\s*(\w+),\s*'
    r'([A-Z_|\s]+?),\s*([A-Z0-9_|\s]+?),\s*(\w+)\s*\}')


def router_routes():
    """[(method, pattern, roles (set or PUBLIC), flags set)] of router.c."""
    with open(ROUTER_C, encoding='utf-8') as f:
        src = f.read()
    start = src.index('routes[] = {')
    end = src.index('\n};', start)
    out = []
    for m in ENTRY_RE.finditer(src[start:end]):
        method, pattern, _, roles, flags, _ = m.groups()
        names = [x.strip() for x in roles.split('|')]
        if names == ['PUBLIC']:
            who = PUBLIC
        else:
            who = {MACROS[x] for x in names}
        fl = {x.strip() for x in flags.split('|')} - {'0'}
        if who == PUBLIC and 'SCRAPE' in fl:
            who = SCRAPE
        out.append((method, pattern, who, fl))
    # Every entry must have been read: count the opening braces.
    assert len(out) == src[start:end].count('{ "'), 'unparsed route entry'
    return out


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Req:
    """One request to make: path, body, headers and the success status."""

    def __init__(self, path, body=None, headers=None, ok=(200,), raw=None):
        self.path = path
        self.body = body
        self.headers = headers
        self.ok = ok
        self.raw = raw


class Matrix(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        fx = harness.FX
        cls.n = 0
        cls.pw = {}
        st, _, users = fx.as_('admin', 'GET', '/api/v1/users')
        assert st == 200, users
        cls.uid = {u['name']: u['id'] for u in users['items']}
        for name in harness.USERS:
            st, _, b = fx.as_('admin', 'PUT', '/api/v1/users/%d/password' %
                              cls.uid[name], body={'password': PASSWORD})
            assert st == 204, (st, b)
            cls.pw[name] = PASSWORD
        st, _, esc = fx.as_('admin', 'GET', '/api/v1/escalation')
        assert st == 200, esc
        esc['security_team'] = ['sec@example.com']
        st, _, b = fx.as_('admin', 'PUT', '/api/v1/escalation', body=esc)
        assert st == 200, (st, b)
        # One incident of each reporter, a GB controller breach with
        # its clock running.
        cls.mine = cls.make_incident('reporter')
        cls.theirs = cls.make_incident('reporter2')

    # ------------------------------------------------------------ helpers

    @classmethod
    def fresh(cls, prefix):
        cls.n += 1
        return '%s%d' % (prefix, cls.n)

    @classmethod
    def make_incident(cls, user='handler', **kw):
        aware = now() - 2 * HOUR
        body = {'title': cls.fresh('matrix '), 'jurisdictions': ['GB'],
                'discovered_at': ts(aware - HOUR), 'aware_at': ts(aware),
                'data_categories': ['health']}
        body.update(kw)
        st, _, inc = harness.FX.as_(user, 'POST', '/api/v1/incidents',
                                    body=body)
        assert st == 201, (st, inc)
        return inc['id']

    def obligation(self, iid, regime):
        st, _, obl = self.fx.as_('handler', 'GET',
                                 '/api/v1/incidents/%d/obligations' % iid)
        self.assertEqual(st, 200, obl)
        got = [o['id'] for o in obl['items'] if o['regime_id'] == regime]
        self.assertTrue(got, '%s not among %r' % (regime, obl['items']))
        return got[0]

    def claimed_alert(self, claim=True):
        """A due alert of a fresh incident, claimed by worker m."""
        iid = self.make_incident()
        st, _, polled = self.fx.as_('notifier', 'GET',
                                    '/api/v1/notifier/alerts?limit=500')
        self.assertEqual(st, 200, polled)
        pre = 'event:%d:incident.reported:' % iid
        ids = [a['id'] for a in polled['items'] if a['key'].startswith(pre)]
        self.assertEqual(len(ids), 1, polled)
        if claim:
            st, _, b = self.fx.as_('notifier', 'POST',
                                   '/api/v1/notifier/alerts/%d/claim' %
                                   ids[0], body={'worker': 'm'})
            self.assertEqual(st, 200, b)
        return ids[0]

    def new_regime(self):
        body = {'id': self.fresh('matrix_regime_'), 'name': 'm',
                'jurisdiction': 'Antarctica', 'legal_source': 'none',
                'notify': 'regulator', 'recipient': 'nobody',
                'clock_start': 'awareness', 'deadline': '72 hours',
                'citation_url': 'https://example.org/',
                'rule': {'applies': {'jurisdictions': ['AQ']},
                         'phases': [{'id': 'notification', 'name': 'n',
                                     'start': 'aware_at', 'duration': 72,
                                     'unit': 'hours'}]}}
        return body

    def new_user(self, role='viewer'):
        name = self.fresh('matrixuser')
        st, _, u = self.fx.as_('admin', 'POST', '/api/v1/users',
                               body={'name': name, 'role': role})
        self.assertEqual(st, 201, u)
        return u

    def new_token(self, user='viewer'):
        st, _, t = self.fx.as_('admin', 'POST', '/api/v1/tokens',
                               body={'user': user})
        self.assertEqual(st, 201, t)
        return t

    def feed_token(self, role):
        st, _, t = self.fx.as_(role, 'POST', '/api/v1/me/calendar-token')
        self.assertIn(st, (200, 201), t)
        return t['token']

    def sign_in(self, user):
        st, h, b = self.fx.request('POST', '/api/v1/session', body={
            'username': user, 'password': self.pw[user]})
        self.assertEqual(st, 200, b)
        cookie = h['set-cookie'].split(';', 1)[0]
        self.assertTrue(cookie.startswith('bc_session='), cookie)
        return cookie, b['csrf_token']

    def request_for(self, method, pattern, role):
        """A valid request of route (method, pattern) made by role."""
        i = '/api/v1/incidents/%d'
        if pattern == '/healthz':
            return Req('/healthz')
        if pattern == '/metrics':
            return Req('/metrics')
        if pattern == '/api/v1/calendar.ics':
            return Req(pattern)
        if pattern == '/api/v1/me/calendar-token':
            if method != 'POST':
                self.feed_token(role)
            return Req(pattern, ok={'GET': (200,), 'POST': (200, 201),
                                    'DELETE': (204,)}[method])
        if pattern == '/api/v1/me':
            return Req(pattern)
        if pattern == '/api/v1/me/password':
            new = self.fresh('matrix password ')
            old, self.pw[role] = self.pw[role], new
            return Req(pattern, {'current_password': old,
                                 'new_password': new}, ok=(204,))
        if pattern == '/api/v1/session':
            if method == 'POST':
                return Req(pattern, {'username': 'viewer',
                                     'password': self.pw['viewer']})
            return Req(pattern, ok=(200,) if method == 'GET' else (204,))
        if pattern == '/api/v1/incidents':
            if method == 'POST':
                return Req(pattern, {'title': 'm', 'discovered_at':
                                     ts(now() - HOUR)}, ok=(201,))
            return Req(pattern)
        own = self.mine if role == 'reporter' else self.theirs
        if pattern == '/api/v1/incidents/#':
            if method == 'GET':
                return Req(i % own)
            iid = self.make_incident()
            return Req(i % iid, {'title': 'patched'},
                       {'If-Match': '"1"'})
        if pattern == '/api/v1/incidents/#/assessments':
            if method == 'GET':
                return Req(i % own + '/assessments')
            return Req(i % own + '/assessments', {
                'data_type': 'simple', 'ease_of_identification': 'limited',
                'confidentiality': 'none', 'integrity': 'none',
                'availability': 'none', 'malicious': False}, ok=(201,))
        if pattern == '/api/v1/incidents/#/risk-decisions':
            if method == 'GET':
                return Req(i % own + '/risk-decisions')
            return Req(i % own + '/risk-decisions',
                       {'level': 'risk', 'rationale': 'r'}, ok=(201,))
        if pattern == '/api/v1/obligations':
            return Req(pattern)
        if pattern == '/api/v1/incidents/#/obligations':
            return Req(i % own + '/obligations')
        if pattern == '/api/v1/incidents/#/obligations/#':
            return Req(i % own + '/obligations/%d' %
                       self.obligation(own, ICO))
        if pattern.endswith('/notifications'):
            iid = self.make_incident()
            return Req(i % iid + '/obligations/%d/notifications' %
                       self.obligation(iid, ICO),
                       {'sent_at': ts(now() - MINUTE)}, ok=(201,))
        if pattern.endswith('/waive'):
            iid = self.make_incident(role='processor',
                                     controller_name='Acme')
            return Req(i % iid + '/obligations/%d/waive' %
                       self.obligation(iid, PROC),
                       {'reason': 'the contract says so'})
        if pattern == '/api/v1/incidents/#/notices/*':
            return Req(i % own + '/notices/ico_report')
        if pattern.endswith('/art34-exemption'):
            iid = self.make_incident()
            st, _, b = self.fx.as_('dpo', 'POST',
                                   i % iid + '/risk-decisions',
                                   body={'level': 'high',
                                         'rationale': 'r'})
            self.assertEqual(st, 201, b)
            return Req(i % iid + '/art34-exemption',
                       {'exemption': 'a', 'explanation': 'encrypted'},
                       ok=(201,))
        if pattern == '/api/v1/incidents/#/events':
            return Req(i % own + '/events')
        if pattern == '/api/v1/incidents/#/notes':
            return Req(i % own + '/notes', {'text': 'a note'}, ok=(201,))
        if pattern == '/api/v1/audit/verify':
            return Req(pattern)
        if pattern == '/api/v1/notifier/alerts':
            return Req(pattern + '?wait=0')
        if pattern.startswith('/api/v1/notifier/alerts/#/'):
            what = pattern.rsplit('/', 1)[1]
            aid = self.claimed_alert(claim=what != 'claim')
            body = {'claim': {'worker': 'm'},
                    'ack': {'worker': 'm', 'message_ids': ['<m@x>']},
                    'fail': {'worker': 'm', 'error': 'refused'},
                    'release': {'worker': 'm'}}[what]
            return Req('/api/v1/notifier/alerts/%d/%s' % (aid, what), body)
        if pattern == '/api/v1/alerts':
            return Req(pattern)
        if pattern == '/api/v1/escalation':
            if method == 'GET':
                return Req(pattern)
            st, _, esc = self.fx.as_('admin', 'GET', pattern)
            self.assertEqual(st, 200, esc)
            return Req(pattern, esc)
        if pattern == '/api/v1/regimes':
            if method == 'GET':
                return Req(pattern)
            return Req(pattern, self.new_regime(), ok=(201,))
        if pattern == '/api/v1/regimes/*':
            if method == 'GET':
                return Req('/api/v1/regimes/' + ICO)
            st, h, _ = self.fx.as_('admin', 'GET',
                                   '/api/v1/regimes/uk_nis_reg11_oes')
            self.assertEqual(st, 200)
            return Req('/api/v1/regimes/uk_nis_reg11_oes',
                       {'notes': self.fresh('matrix ')},
                       {'If-Match': h['etag']})
        if pattern == '/api/v1/regimes/*/retire':
            b = self.new_regime()
            st, _, g = self.fx.as_('admin', 'POST', '/api/v1/regimes',
                                   body=b)
            self.assertEqual(st, 201, g)
            return Req('/api/v1/regimes/%s/retire' % g['id'],
                       {'reason': 'matrix'})
        if pattern in ('/api/v1/register', '/api/v1/reports'):
            return Req(pattern)
        if pattern == '/api/v1/users':
            if method == 'GET':
                return Req(pattern)
            return Req(pattern, {'name': self.fresh('matrixnew'),
                                 'role': 'viewer'}, ok=(201,))
        if pattern == '/api/v1/users/#':
            if method == 'GET':
                return Req('/api/v1/users/%d' % self.uid['viewer'])
            return Req('/api/v1/users/%d' % self.new_user()['id'],
                       {'email': 'm@example.com'})
        if pattern == '/api/v1/users/#/password':
            return Req('/api/v1/users/%d/password' % self.new_user()['id'],
                       {'password': 'a long enough password'}, ok=(204,))
        if pattern == '/api/v1/tokens':
            if method == 'GET':
                return Req(pattern)
            return Req(pattern, {'user': 'viewer'}, ok=(201,))
        if pattern == '/api/v1/tokens/#':
            return Req('/api/v1/tokens/%d' % self.new_token()['id'],
                       ok=(204,))
        if pattern == '/api/v1/holiday-sets':
            return Req(pattern)
        if pattern == '/api/v1/holiday-sets/*':
            if method == 'GET':
                return Req('/api/v1/holiday-sets/gb-eaw')
            return Req('/api/v1/holiday-sets/gb-ni', {
                'division': 'northern-ireland', 'events': [
                    {'title': 'Christmas Day', 'date': '2031-12-25',
                     'notes': '', 'bunting': True}]})
        self.fail('no request for %s %s in the matrix' % (method, pattern))

    # ------------------------------------------------------------ tests

    def test_table_matches_router(self):
        routes = router_routes()
        self.assertGreaterEqual(len(routes), 50)
        seen = set()
        for method, pattern, who, flags in routes:
            key = (method, pattern)
            with self.subTest('%s %s' % key):
                self.assertNotIn(key, seen, 'route listed twice')
                seen.add(key)
                self.assertIn(key, TABLE, 'a route without a row in the '
                              'permission matrix (tests/api/'
                              'test_permissions.py TABLE)')
                allowed, own = TABLE[key]
                self.assertEqual(who, allowed, 'router.c and the matrix '
                                 'disagree on who may call it')
                self.assertEqual('OWN' in flags, own, 'OWN flag')
                if who in (PUBLIC, SCRAPE):
                    self.assertIn(key, {('GET', '/healthz'),
                                        ('GET', '/metrics'),
                                        ('POST', '/api/v1/session')},
                                  'a new public route')
        self.assertEqual(set(TABLE) - seen, set(),
                         'rows for routes router.c does not have')

    def test_every_role(self):
        for method, pattern, _, _ in router_routes():
            allowed, _ = TABLE[(method, pattern)]
            # Denied roles first, so that an allowed write cannot
            # change what the denied ones see.
            for role in sorted(ROLES, key=lambda r: allowed in (
                               PUBLIC, SCRAPE) or r in allowed):
                name = '%s %s as %s' % (method, pattern, role)
                with self.subTest(name):
                    if allowed == SCRAPE:
                        r = self.fx.as_(role, method, pattern)
                        self.assertProblem(r, 401, 'unauthorized', msg=name)
                        continue
                    if allowed != PUBLIC and role not in allowed:
                        path = re.sub('#', '1', pattern).replace(
                            '*', 'uk_gdpr_art33_ico')
                        body = {} if method not in ('GET', 'DELETE') \
                            else None
                        r = self.fx.as_(role, method, path, body=body)
                        self.assertProblem(r, 403, 'forbidden', msg=name)
                        continue
                    q = self.request_for(method, pattern, role)
                    r = self.fx.as_(role, method, q.path, body=q.body,
                                    headers=q.headers)
                    self.assertIn(r[0], q.ok, '%s %s: %r' % (
                        name, q.path, r[2]))

    def dead_tokens(self):
        """{kind: Authorization header value} that open nothing."""
        out = {
            'malformed': 'Bearer nonsense',
            'unknown': 'Bearer bc_' + 'A' * 43,
            'other scheme': 'Basic ' + self.fx.tok['admin'],
        }
        # revoked
        t = self.new_token('admin')
        st, _, _ = self.fx.as_('admin', 'DELETE', '/api/v1/tokens/%d' %
                               t['id'])
        self.assertEqual(st, 204)
        out['revoked'] = 'Bearer ' + t['token']
        # expired: no API mints one, so age it in the database
        t = self.new_token('admin')
        con = sqlite3.connect(self.fx.db, timeout=10)
        try:
            cur = con.execute('UPDATE tokens SET expires_at = 946684800 '
                              'WHERE id = ?', (t['id'],))
            self.assertEqual(cur.rowcount, 1)
            con.commit()
        finally:
            con.close()
        out['expired'] = 'Bearer ' + t['token']
        # a disabled admin's live token
        u = self.new_user('admin')
        t = self.new_token(u['name'])
        st, _, b = self.fx.as_('admin', 'PATCH', '/api/v1/users/%d' %
                               u['id'], body={'disabled': True})
        self.assertEqual(st, 200, b)
        out['disabled user'] = 'Bearer ' + t['token']
        return out

    def test_nobody(self):
        dead = self.dead_tokens()
        for method, pattern, _, _ in router_routes():
            allowed, _ = TABLE[(method, pattern)]
            path = re.sub('#', '1', pattern).replace('*', ICO)
            body = {} if method not in ('GET', 'DELETE') else None
            for kind, authz in [('no token', None)] + sorted(dead.items()):
                name = '%s %s with %s' % (method, pattern, kind)
                with self.subTest(name):
                    if allowed == SCRAPE:
                        r = self.fx.request(method, path, headers={
                            'Authorization': authz})
                        if authz is None:
                            self.assertEqual(r[0], 200, name)
                        else:
                            self.assertProblem(r, 401, 'unauthorized',
                                               msg=name)
                        continue
                    if allowed == PUBLIC:
                        q = self.request_for(method, pattern, 'viewer')
                        r = self.fx.request(method, q.path, body=q.body,
                                            headers={'Authorization':
                                                     authz})
                        self.assertIn(r[0], q.ok, '%s: %r' % (name, r[2]))
                        continue
                    r = self.fx.request(method, path, body=body,
                                        headers={'Authorization': authz})
                    self.assertProblem(r, 401, 'unauthorized', msg=name)
                    self.assertTrue(r[1].get('www-authenticate', '')
                                    .startswith('Bearer'), name)
        # The dead tokens stay dead for the routes that were allowed.
        r = self.fx.request('GET', '/api/v1/me', headers={
            'Authorization': dead['disabled user']})
        self.assertProblem(r, 401, 'unauthorized')

    def test_reporter_sees_only_own(self):
        own = [(m, p) for (m, p), (_, o) in TABLE.items() if o]
        self.assertGreaterEqual(len(own), 8)
        for method, pattern in own:
            if '#' not in pattern:
                continue
            for who, iid, ok in (('own', self.mine, True),
                                 ('another', self.theirs, False)):
                path = pattern.replace('#', str(iid), 1)
                if '/obligations/#' in pattern:
                    path = path.replace('#', str(self.obligation(iid, ICO)))
                path = path.replace('*', 'ico_report')
                with self.subTest('%s %s of %s' % (method, pattern, who)):
                    r = self.fx.as_('reporter', method, path)
                    if ok:
                        self.assertEqual(r[0], 200, r[2])
                    else:
                        self.assertProblem(r, 404, 'not-found', msg=path)
                    # and reporter2 sees the other way round
                    r = self.fx.as_('reporter2', method, path)
                    self.assertEqual(r[0], 404 if ok else 200, r[2])
        st, _, lst = self.fx.as_('reporter', 'GET', '/api/v1/incidents')
        self.assertEqual(st, 200)
        ids = {x['id'] for x in lst['items']}
        self.assertIn(self.mine, ids)
        self.assertNotIn(self.theirs, ids)
        self.assertEqual({x['reporter'] for x in lst['items']},
                         {'reporter'})

    def test_session_cookie_needs_csrf_on_writes(self):
        writes = [(m, p, a) for m, p, a, _ in router_routes()
                  if m not in ('GET', 'HEAD') and a not in (PUBLIC, SCRAPE)]
        self.assertGreaterEqual(len(writes), 20)
        for method, pattern, allowed in writes:
            role = sorted(allowed, key=lambda r: r != 'admin')[0]
            path = re.sub('#', '1', pattern).replace('*', ICO)
            body = {} if method != 'DELETE' else None
            cookie, csrf = self.sign_in(role)
            for kind, h in (('no token', {}),
                            ('wrong token', {'X-CSRF-Token': 'x' * 43}),
                            ('another session\'s',
                             {'X-CSRF-Token': self.sign_in(role)[1]})):
                name = '%s %s as %s, %s' % (method, pattern, role, kind)
                with self.subTest(name):
                    hh = dict(h)
                    hh['Cookie'] = cookie
                    r = self.fx.request(method, path, body=body, headers=hh)
                    self.assertProblem(r, 403, 'csrf', msg=name)
        # With its token a write goes through, and a read needs none.
        cookie, csrf = self.sign_in('handler')
        r = self.fx.request('POST', '/api/v1/incidents', body={
            'title': 'by cookie', 'discovered_at': ts(now() - HOUR)},
            headers={'Cookie': cookie, 'X-CSRF-Token': csrf})
        self.assertEqual(r[0], 201, r[2])
        r = self.fx.request('GET', '/api/v1/incidents/%d' % r[2]['id'],
                            headers={'Cookie': cookie})
        self.assertEqual(r[0], 200, r[2])
        # A forged or signed-out cookie is nobody.
        for bad in ('bc_session=' + 'A' * 43, 'bc_session='):
            r = self.fx.request('GET', '/api/v1/me', headers={'Cookie': bad})
            self.assertProblem(r, 401, 'unauthorized', msg=bad)
        r = self.fx.request('DELETE', '/api/v1/session', headers={
            'Cookie': cookie, 'X-CSRF-Token': csrf})
        self.assertEqual(r[0], 204, r[2])
        r = self.fx.request('GET', '/api/v1/me', headers={'Cookie': cookie})
        self.assertProblem(r, 401, 'unauthorized')
        # A role the route refuses is refused by cookie too.
        cookie, csrf = self.sign_in('viewer')
        r = self.fx.request('POST', '/api/v1/incidents', body={
            'title': 'x', 'discovered_at': ts(now() - HOUR)},
            headers={'Cookie': cookie, 'X-CSRF-Token': csrf})
        self.assertProblem(r, 403, 'forbidden')

    def test_feed_token_opens_the_feed_only(self):
        tok = self.feed_token('viewer')
        r = self.fx.request('GET', '/api/v1/calendar.ics?token=' + tok)
        self.assertEqual(r[0], 200, r[2])
        for bad in ('bcf_' + 'A' * 43, 'nonsense', tok[:-1]):
            r = self.fx.request('GET', '/api/v1/calendar.ics?token=' + bad)
            self.assertProblem(r, 401, 'unauthorized', msg=bad)
        # not a bearer token, and not a key to any other route
        r = self.fx.request('GET', '/api/v1/me', token=tok)
        self.assertProblem(r, 401, 'unauthorized')
        r = self.fx.request('GET', '/api/v1/incidents?token=' + tok)
        self.assertProblem(r, 401, 'unauthorized')
        # only for reading
        r = self.fx.request('POST', '/api/v1/me/calendar-token?token=' + tok)
        self.assertProblem(r, 401, 'unauthorized')


if __name__ == '__main__':
    harness.main()
