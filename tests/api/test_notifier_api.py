"""The escalation outbox through the API (issue 4, /work/notifier-contract):
the notifier's long-poll / claim / ack / fail / release, the outbox view
GET /api/v1/alerts and the escalation settings.

Each test class runs its own server and database (the outbox is global
state: a long-poll that must find nothing due cannot share a server with
tests that queue alerts).  Everything is observed through the HTTP API."""

import datetime
import http.client
import os
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts, parse_ts  # noqa: E402

ICO = 'uk_gdpr_art33_ico'
WEB_ROOT = os.path.join(harness.REPO, 'web')
DAY = datetime.timedelta(days=1)
SEC = datetime.timedelta(seconds=1)

DEFAULT = {
    'ladder': ['applies', 'half', 't-24h', 't-6h', 't-1h', 'overdue'],
    'overdue_every_hours': 24, 'regimes': {}, 'security_team': [],
    'leadership': [], 'admins': [], 'untriaged_hours': 4,
    'digest_hour_utc': 7, 'webhooks': [], 'web_base_url': '',
}

VIEW_KEYS = {'id', 'key', 'kind', 'step', 'attempt', 'send_at', 'expires_at',
             'lease_until', 'thread_key', 'web_url', 'incident', 'obligation',
             'event', 'digest', 'failure', 'recipients', 'webhooks',
             'notice', 'delivered'}
ROW_KEYS = {'id', 'key', 'kind', 'step', 'incident_id', 'obligation_id',
            'audience', 'data', 'send_at', 'expires_at', 'state', 'attempts',
            'next_attempt_at', 'lease_owner', 'lease_until', 'message_ids',
            'last_error', 'created_at', 'sent_at'}
NOTIFIER_PATHS = ('claim', 'ack', 'fail', 'release')


def doc(**kw):
    d = dict(DEFAULT)
    d.update(kw)
    return d


class Isolated(harness.ApiCase):
    """A server of its own per test class."""

    @classmethod
    def setUpClass(cls):
        cls._fx = harness.Fixture()

    @classmethod
    def tearDownClass(cls):
        fx = cls._fx
        rc = fx.stop()
        fx.cleanup(rc == 0)
        if rc != 0:
            raise AssertionError('server exit status on SIGTERM: %r' % (rc,))

    @property
    def fx(self):
        return type(self)._fx

    # -- helpers

    @classmethod
    def add_user(cls, name, role, email=None, tz=None):
        body = {'name': name, 'role': role}
        if email is not None:
            body['email'] = email
        if tz is not None:
            body['tz'] = tz
        st, _, u = cls._fx.as_('admin', 'POST', '/api/v1/users', body=body)
        assert st == 201, (st, u)
        st, _, t = cls._fx.as_('admin', 'POST', '/api/v1/tokens',
                               body={'user': name})
        assert st == 201, (st, t)
        cls._fx.tok[name] = t['token']
        return u

    @classmethod
    def put_settings(cls, d):
        st, _, b = cls._fx.as_('admin', 'PUT', '/api/v1/escalation', body=d)
        assert st == 200, (st, b)
        return b

    def alerts(self, user='dpo', **q):
        """Every row of GET /api/v1/alerts (following cursors)."""
        out = []
        cursor = None
        while True:
            qq = dict(q)
            if cursor is not None:
                qq['cursor'] = cursor
            qs = '&'.join('%s=%s' % kv for kv in sorted(qq.items()))
            r = self.fx.as_(user, 'GET', '/api/v1/alerts' +
                            ('?' + qs if qs else ''))
            self.assertStatus(r, 200, 'alerts %s' % qs)
            for a in r[2]['items']:
                self.assertEqual(set(a), ROW_KEYS)
            out.extend(r[2]['items'])
            cursor = r[2]['next_cursor']
            if cursor is None:
                return out

    def rows(self, iid):
        """{key: row} of one incident's alerts."""
        return {a['key']: a for a in self.alerts(incident_id=iid)}

    def row(self, aid):
        for a in self.alerts():
            if a['id'] == aid:
                return a
        self.fail('no alert %d in GET /api/v1/alerts' % aid)

    def ladder_rows(self, oid):
        """{step: row} of one obligation's ladder alerts."""
        pre = 'obligation:%d:' % oid
        return {a['step']: a for a in self.alerts()
                if a['key'].startswith(pre)}

    def poll(self, wait=0, limit=None, user='notifier', timeout=90):
        q = 'wait=%d' % wait
        if limit is not None:
            q += '&limit=%d' % limit
        t0 = time.monotonic()
        r = self.fx.server.request('GET', '/api/v1/notifier/alerts?' + q,
                                   token=self.fx.tok[user], timeout=timeout)
        return time.monotonic() - t0, r

    def op(self, aid, what, body, user='notifier'):
        return self.fx.as_(user, 'POST', '/api/v1/notifier/alerts/%d/%s' %
                           (aid, what), body=body)

    def claim(self, aid, worker='w1', lease=None, expect=200):
        body = {'worker': worker}
        if lease is not None:
            body['lease_seconds'] = lease
        r = self.op(aid, 'claim', body)
        if expect == 200:
            self.assertStatus(r, 200, 'claim %d' % aid)
            self.assertEqual(set(r[2]), VIEW_KEYS)
        elif expect is not None:
            self.assertProblem(r, expect, msg='claim %d' % aid)
        return r

    def ack(self, aid, worker='w1', ids=('<m@x>',)):
        body = {'message_ids': list(ids)}
        if worker is not None:
            body['worker'] = worker
        return self.op(aid, 'ack', body)

    def aware_incident(self, aware, **kw):
        return self.create(discovered_at=ts(aware - HOUR), aware_at=ts(aware),
                           **kw)

    def ico(self, iid):
        return self.obligations(iid)[ICO]

    def assertNear(self, got, want, secs=5, msg=None):
        g = parse_ts(got) if isinstance(got, str) else got
        w = parse_ts(want) if isinstance(want, str) else want
        self.assertLessEqual(abs((g - w).total_seconds()), secs,
                             '%s: %s vs %s' % (msg or '', ts(g), ts(w)))


# ---------------------------------------------------------------- roles

class Roles(Isolated):

    def test_notifier_routes_only_notifier(self):
        for role in sorted(harness.USERS):
            with self.subTest(role):
                r = self.fx.as_(role, 'GET', '/api/v1/notifier/alerts')
                if role == 'notifier':
                    self.assertStatus(r, 200)
                    self.assertEqual(r[2]['items'], [])
                else:
                    self.assertProblem(r, 403, 'forbidden')
                for what in NOTIFIER_PATHS:
                    body = {'error': 'x'} if what == 'fail' else \
                        {'message_ids': []} if what == 'ack' else {}
                    r = self.op(1, what, body, user=role)
                    if role == 'notifier':
                        # allowed: no such alert
                        self.assertProblem(r, 404, 'not-found')
                    else:
                        self.assertProblem(r, 403, 'forbidden')
        self.assertProblem(self.fx.request('GET', '/api/v1/notifier/alerts'),
                           401, 'unauthorized')
        self.assertProblem(self.fx.request(
            'POST', '/api/v1/notifier/alerts/1/claim', body={}),
            401, 'unauthorized')

    def test_alerts_and_escalation_roles(self):
        for role in sorted(harness.USERS):
            with self.subTest(role):
                for path in ('/api/v1/alerts', '/api/v1/escalation'):
                    r = self.fx.as_(role, 'GET', path)
                    if role in ('dpo', 'admin'):
                        self.assertStatus(r, 200, path)
                    else:
                        self.assertProblem(r, 403, 'forbidden', msg=path)
                r = self.fx.as_(role, 'PUT', '/api/v1/escalation',
                                body=DEFAULT)
                if role == 'admin':
                    self.assertStatus(r, 200)
                else:
                    self.assertProblem(r, 403, 'forbidden')
        for m, p in (('GET', '/api/v1/alerts'), ('GET', '/api/v1/escalation'),
                     ('PUT', '/api/v1/escalation')):
            self.assertProblem(self.fx.request(
                m, p, body=DEFAULT if m == 'PUT' else None),
                401, 'unauthorized')

    def test_methods(self):
        r = self.fx.as_('admin', 'POST', '/api/v1/escalation', body=DEFAULT)
        self.assertProblem(r, 405, 'method-not-allowed')
        self.assertEqual(r[1].get('allow'), 'GET, HEAD, PUT')
        r = self.fx.as_('notifier', 'GET', '/api/v1/notifier/alerts/1/claim')
        self.assertProblem(r, 405, 'method-not-allowed')


# ------------------------------------------------------------ settings

class EscalationSettings(Isolated):

    def get(self, user='admin'):
        r = self.fx.as_(user, 'GET', '/api/v1/escalation')
        self.assertStatus(r, 200)
        return r[2]

    def test_default(self):
        self.assertEqual(self.get(), DEFAULT)
        self.assertEqual(self.get('dpo'), DEFAULT)

    def test_round_trip(self):
        d = doc(ladder=['applies', 't-48h', 't-90m', 'overdue'],
                overdue_every_hours=12,
                regimes={ICO: {'ladder': ['half', 't-1h']},
                         'uk_gdpr_art34_individuals': {'ladder': ['overdue']}},
                security_team=['sec@example.com', 'soc+x@example.org'],
                leadership=['ceo@example.com'], admins=['ops@example.com'],
                untriaged_hours=2, digest_hour_utc=23,
                webhooks=[{'url': 'https://hooks.example/x',
                           'format': 'slack'},
                          {'url': 'http://192.0.2.1:8080/h', 'format': 'json'}],
                web_base_url='https://breachclock.example')
        r = self.fx.as_('admin', 'PUT', '/api/v1/escalation', body=d)
        self.assertStatus(r, 200)
        self.assertEqual(r[2], d)
        self.assertEqual(self.get(), d)
        self.assertEqual(self.get('dpo'), d)
        # the change is in the audit chain, and the chain still verifies
        r = self.fx.as_('admin', 'GET', '/api/v1/audit/verify')
        self.assertStatus(r, 200)
        self.assertIs(r[2]['ok'], True)
        self.put_settings(DEFAULT)
        self.assertEqual(self.get(), DEFAULT)

    def test_validation(self):
        before = self.get()
        missing = dict(DEFAULT)
        del missing['admins']
        cases = [
            (doc(colour='red'), 'colour'),
            (missing, 'admins'),
            (doc(ladder=[]), 'ladder'),
            (doc(ladder='t-6h'), 'ladder'),
            (doc(ladder=['t-6x']), 'ladder'),
            (doc(ladder=['t-0h']), 'ladder'),
            (doc(ladder=['t-06h']), 'ladder'),
            (doc(ladder=['t-h']), 'ladder'),
            (doc(ladder=['t--5h']), 'ladder'),
            (doc(ladder=['6h']), 'ladder'),
            (doc(ladder=['overdue-1']), 'ladder'),
            (doc(ladder=['later']), 'ladder'),
            (doc(ladder=[6]), 'ladder'),
            (doc(ladder=['applies'] * 17), 'ladder'),
            (doc(regimes={ICO: {'ladder': ['soon']}}), 'regimes'),
            (doc(regimes={ICO: ['t-1h']}), 'regimes'),
            (doc(regimes={ICO: {'ladder': ['t-1h'], 'x': 1}}), 'regimes'),
            (doc(regimes=[]), 'regimes'),
            (doc(security_team=['not-an-address']), 'security_team'),
            (doc(security_team=['@example.com']), 'security_team'),
            (doc(security_team=['a@']), 'security_team'),
            (doc(security_team='a@example.com'), 'security_team'),
            (doc(leadership=['a b@example.com']), 'leadership'),
            (doc(leadership=['<a@example.com>']), 'leadership'),
            (doc(admins=['a@example.com', 5]), 'admins'),
            (doc(admins=['a@example.com,b@example.com']), 'admins'),
            (doc(webhooks=[{'url': 'ftp://hooks.example/x',
                            'format': 'json'}]), 'webhooks'),
            (doc(webhooks=[{'url': 'hooks.example/x', 'format': 'json'}]),
             'webhooks'),
            (doc(webhooks=[{'url': 'https://h.example/a b',
                            'format': 'json'}]), 'webhooks'),
            (doc(webhooks=[{'url': '', 'format': 'json'}]), 'webhooks'),
            (doc(webhooks=[{'url': 'https://hooks.example/x',
                            'format': 'xml'}]), 'webhooks'),
            (doc(webhooks=[{'url': 'https://hooks.example/x'}]), 'webhooks'),
            (doc(webhooks=[{'url': 'https://hooks.example/x',
                            'format': 'json', 'secret': 's'}]), 'webhooks'),
            (doc(webhooks=['https://hooks.example/x']), 'webhooks'),
            (doc(webhooks={}), 'webhooks'),
            (doc(web_base_url='ftp://x.example'), 'web_base_url'),
            (doc(web_base_url=None), 'web_base_url'),
            (doc(web_base_url='https://example.com/a?b=c'), 'web_base_url'),
            (doc(web_base_url='https://example.com/a#frag'), 'web_base_url'),
            (doc(web_base_url='https://u:p@example.com/'), 'web_base_url'),
            (doc(web_base_url='https://'), 'web_base_url'),
            (doc(web_base_url='https:///a'), 'web_base_url'),
            (doc(web_base_url='https://:443/'), 'web_base_url'),
            (doc(web_base_url='https://x.example:http/'), 'web_base_url'),
            (doc(web_base_url='https://x.example:99999'), 'web_base_url'),
            (doc(web_base_url='/relative'), 'web_base_url'),
            (doc(regimes={'BAD KEY': {'ladder': ['t-1h']}}), 'regimes'),
            (doc(regimes={'no_such_regime': {'ladder': ['t-1h']}}),
             'regimes'),
            (doc(ladder=['t-6h', 'overdue', 't-6h']), 'ladder'),
            (doc(ladder=['t-1h', 't-60m']), 'ladder'),
            (doc(regimes={ICO: {'ladder': ['half', 'half']}}), 'regimes'),
            (doc(security_team=['a@example.com', 'b@example.com',
                                'A@Example.com']), 'security_team'),
            (doc(leadership=['c@example.com', 'c@example.com']),
             'leadership'),
            (doc(admins=['o@example.com', 'o@example.com']), 'admins'),
            (doc(webhooks=[{'url': 'https://hooks.example/x',
                            'format': 'json'},
                           {'url': 'https://hooks.example/x',
                            'format': 'slack'}]), 'webhooks'),
            (doc(webhooks=[{'url': 'https:///x', 'format': 'json'}]),
             'webhooks'),
            (doc(overdue_every_hours=0), 'overdue_every_hours'),
            (doc(overdue_every_hours=721), 'overdue_every_hours'),
            (doc(overdue_every_hours='24'), 'overdue_every_hours'),
            (doc(untriaged_hours=0), 'untriaged_hours'),
            (doc(digest_hour_utc=24), 'digest_hour_utc'),
            (doc(digest_hour_utc=-1), 'digest_hour_utc'),
            (doc(digest_hour_utc=7.5), 'digest_hour_utc'),
        ]
        for body, field in cases:
            with self.subTest(field=field, body=repr(body)[:120]):
                r = self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                                body=body)
                self.assertProblem(r, 400, 'invalid-field', field=field)
                self.assertIn(field, r[2]['detail'])
        # accepted edge values
        for body in (doc(ladder=['t-1m', 't-8784h']),
                     doc(ladder=['t-527040m']),
                     doc(web_base_url='http://x.example'),
                     doc(web_base_url='https://x.example:8443/bc/'),
                     doc(web_base_url='http://[2001:db8::1]:8072'),
                     doc(webhooks=[{'url': 'https://hooks.example/x?k=v',
                                    'format': 'json'}]),
                     doc(security_team=['a@b']),
                     doc(overdue_every_hours=720, digest_hour_utc=0)):
            with self.subTest(ok=repr(body)[:120]):
                r = self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                                body=body)
                self.assertStatus(r, 200)
        self.put_settings(before)
        self.assertEqual(self.get(), before)
        # a rejected PUT changes nothing
        self.assertProblem(self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                                       body=doc(ladder=['bad'], admins=[])),
                           400, 'invalid-field', field='ladder')
        self.assertEqual(self.get(), before)
        self.assertProblem(self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                                       raw='[]', headers={
                                           'Content-Type':
                                           'application/json'}),
                           400, 'invalid-json')
        self.assertProblem(self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                                       raw='{}', headers={
                                           'Content-Type': 'text/plain'}),
                           415, 'unsupported-media-type')


    # Loopback, link-local (the cloud metadata address), private, shared
    # (100.64/10), multicast and unspecified literals, and localhost;
    # refused unless the server runs with --allow-internal-webhooks.
    INTERNAL = ('http://127.0.0.1:9/h', 'http://127.9.9.9/h',
                'http://localhost:8080/h', 'http://a.localhost/h',
                'http://[::1]:80/h', 'http://[::ffff:127.0.0.1]/h',
                'http://169.254.169.254/latest/meta-data/',
                'http://10.1.2.3/h', 'http://172.16.0.1/h',
                'http://172.31.255.255/h', 'http://192.168.1.1/h',
                'http://[fc00::1]/h', 'http://[fd12:3456::1]/h',
                'http://[fe80::1]/h', 'http://0.0.0.0/h',
                'http://2130706433/h', 'http://127.1/h',
                'http://0x7f.0.0.1/h', 'http://user@127.0.0.1/h',
                'http://100.64.0.1/h', 'http://224.0.0.251/h',
                'http://[ff02::1]/h', 'http://[::ffff:100.100.1.1]/h')
    PUBLIC = ('http://172.32.0.1/h', 'http://172.15.0.1/h',
              'http://192.0.2.1/h', 'http://[2001:db8::1]/h',
              'https://hooks.example/h', 'http://11.0.0.1/h')

    def test_internal_webhooks_refused(self):
        before = self.get()
        for url in self.INTERNAL:
            with self.subTest(url=url):
                r = self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                                body=doc(webhooks=[{'url': url,
                                                    'format': 'json'}]))
                self.assertProblem(r, 400, 'invalid-field',
                                   field='webhooks')
                self.assertIn('--allow-internal-webhooks', r[2]['detail'])
        self.assertEqual(self.get(), before)
        for url in self.PUBLIC:
            with self.subTest(ok=url):
                self.put_settings(doc(webhooks=[{'url': url,
                                                 'format': 'json'}]))
        self.put_settings(before)


class InternalWebhooksAllowed(Isolated):
    """--allow-internal-webhooks: an operator's own receivers."""

    @classmethod
    def setUpClass(cls):
        cls._fx = harness.Fixture(['--allow-internal-webhooks'])

    def test_internal_webhooks_accepted(self):
        for url in EscalationSettings.INTERNAL:
            with self.subTest(url=url):
                d = doc(webhooks=[{'url': url, 'format': 'json'}])
                self.assertEqual(self.put_settings(d), d)
        # the other checks still hold
        r = self.fx.as_('admin', 'PUT', '/api/v1/escalation',
                        body=doc(webhooks=[{'url': 'http://127.0.0.1:x/',
                                            'format': 'json'}]))
        self.assertProblem(r, 400, 'invalid-field', field='webhooks')


# --------------------------------------------------------------- outbox

class Outbox(Isolated):
    """What the server queues, seen through GET /api/v1/alerts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user('hank', 'handler', 'hank@example.com',
                     'America/New_York')

    def test_incident_reported_assigned_untriaged(self):
        t0 = now()
        a = self.create(assignee='hank')
        rows = self.rows(a['id'])
        created = parse_ts(a['created_at'])
        rep = [k for k in rows if k.startswith(
            'event:%d:incident.reported:' % a['id'])]
        asg = [k for k in rows if k.startswith(
            'event:%d:incident.assigned:' % a['id'])]
        unt = 'incident:%d:untriaged' % a['id']
        self.assertEqual(len(rep), 1, sorted(rows))
        self.assertEqual(len(asg), 1, sorted(rows))
        self.assertEqual(set(rows), {rep[0], asg[0], unt})
        r = rows[rep[0]]
        self.assertEqual((r['kind'], r['step'], r['state']),
                         ('event', 'incident.reported', 'queued'))
        self.assertEqual(r['incident_id'], a['id'])
        self.assertIsNone(r['obligation_id'])
        self.assertEqual(r['audience'], ['security', 'dpo'])
        self.assertEqual(r['data'], {'name': 'incident.reported',
                                     'at': a['created_at'],
                                     'actor': 'handler', 'detail': None})
        self.assertEqual(r['send_at'], a['created_at'])
        self.assertEqual(parse_ts(r['expires_at']), created + 2 * DAY)
        self.assertEqual(r['attempts'], 0)
        self.assertIsNone(r['next_attempt_at'])
        self.assertIsNone(r['lease_owner'])
        self.assertIsNone(r['lease_until'])
        self.assertIsNone(r['sent_at'])
        self.assertIsNone(r['last_error'])
        self.assertEqual(r['message_ids'], [])
        self.assertNear(r['created_at'], t0, 10)
        g = rows[asg[0]]
        self.assertEqual((g['kind'], g['step'], g['state']),
                         ('event', 'incident.assigned', 'queued'))
        self.assertEqual(g['audience'], ['assignee'])
        # both come from the one incident.created audit event
        self.assertEqual(rep[0].rsplit(':', 1)[1], asg[0].rsplit(':', 1)[1])
        u = rows[unt]
        self.assertEqual((u['kind'], u['step'], u['state']),
                         ('event', 'incident.untriaged', 'queued'))
        self.assertEqual(parse_ts(u['send_at']), created + 4 * HOUR)
        self.assertEqual(u['audience'], ['security', 'dpo'])
        self.assertEqual(u['data'], {'name': 'incident.untriaged',
                                     'at': ts(created + 4 * HOUR),
                                     'actor': 'system',
                                     'detail': {'hours': 4}})
        # no ladder without aware_at
        self.assertFalse([k for k in rows if k.startswith('obligation:')])

        # triage cancels the untriaged reminder, not the rest
        self.patch(a['id'], {'status': 'investigating'})
        rows = self.rows(a['id'])
        self.assertEqual(rows[unt]['state'], 'cancelled')
        self.assertEqual(rows[rep[0]]['state'], 'queued')
        self.assertEqual(rows[asg[0]]['state'], 'queued')

        # the viewer cannot read the outbox; the admin can
        self.assertEqual({x['key'] for x in self.alerts(
            user='admin', incident_id=a['id'])}, set(rows))

    def test_unlikely_decision_reassess(self):
        """A change to a fact an "unlikely" decision rests on asks for a
        new decision: the update event says which, and one risk.reassess
        alert goes to the assignee and the DPO.  Other changes, and
        changes under another decision, do not."""
        a = self.create(assignee='hank', subjects_count=3)
        iid = a['id']

        def decide(level):
            r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/'
                            'risk-decisions' % iid, body={
                                'level': level, 'rationale': 'Checked.'})
            self.assertStatus(r, 201)

        def reassess():
            return {k: r for k, r in self.rows(iid).items()
                    if k.startswith('event:%d:risk.reassess:' % iid)}

        def last_update():
            return [e for e in self.events(iid)
                    if e['action'] == 'incident.updated'][-1]

        self.patch(iid, {'subjects_count': 4})       # no decision yet
        self.assertNotIn('reassess', last_update()['data'])
        decide('unlikely')
        self.patch(iid, {'title': 'renamed', 'measures_taken': 'Wiped.'})
        self.assertNotIn('reassess', last_update()['data'])
        self.assertEqual(reassess(), {})
        self.patch(iid, {'encryption': 'none', 'subjects_count': 4000,
                         'title': 'renamed again'})
        ev = last_update()
        self.assertEqual(ev['data']['reassess'],
                         ['subjects_count', 'encryption'])
        self.assertEqual(set(ev['data']['changes']),
                         {'subjects_count', 'encryption', 'title'})
        rows = reassess()
        self.assertEqual(list(rows), ['event:%d:risk.reassess:%d' % (
            iid, ev['id'])])
        r = rows['event:%d:risk.reassess:%d' % (iid, ev['id'])]
        self.assertEqual((r['kind'], r['step'], r['state']),
                         ('event', 'risk.reassess', 'queued'))
        self.assertEqual(r['audience'], ['assignee', 'dpo'])
        self.assertEqual(r['data'], {
            'name': 'risk.reassess', 'at': ev['at'], 'actor': 'handler',
            'detail': {'changed': ['subjects_count', 'encryption']}})
        # under another decision a change asks nothing
        decide('risk')
        self.patch(iid, {'records_count': 9000})
        self.assertNotIn('reassess', last_update()['data'])
        self.assertEqual(len(reassess()), 1)
        # "unlikely" again: the next change asks again
        decide('unlikely')
        self.patch(iid, {'data_categories': ['health']})
        self.assertEqual(last_update()['data']['reassess'],
                         ['data_categories'])
        self.assertEqual(len(reassess()), 2)
        # nor does a change that closes it as not a breach
        self.patch(iid, {'status': 'investigating'})
        self.patch(iid, {'status': 'not_a_breach', 'subjects_count': 0,
                         'not_a_breach_reason': 'The letter was ours.'})
        self.assertEqual(set(last_update()['data']['changes']),
                         {'subjects_count', 'not_a_breach_reason'})
        self.assertNotIn('reassess', last_update()['data'])
        self.assertEqual(len(reassess()), 2)

    def test_unassigned_incident_no_assigned_alert(self):
        a = self.create()
        keys = set(self.rows(a['id']))
        self.assertEqual(len(keys), 2, keys)
        self.assertIn('incident:%d:untriaged' % a['id'], keys)
        self.assertFalse([k for k in keys if 'incident.assigned' in k])
        # assigning later queues it
        self.patch(a['id'], {'assignee': 'hank'})
        keys = set(self.rows(a['id']))
        self.assertEqual(len([k for k in keys if k.startswith(
            'event:%d:incident.assigned:' % a['id'])]), 1, keys)

    def test_late_incident_one_collapsed_ladder_alert(self):
        t0 = now()
        a = self.aware_incident(t0 - 70 * HOUR, assignee='hank')
        o = self.ico(a['id'])
        due = parse_ts(o['due_at'])
        self.assertEqual(due, t0 + 2 * HOUR)
        lad = self.ladder_rows(o['id'])
        # applies, half, t-24h and t-6h are all past: only t-6h is kept
        self.assertEqual(set(lad), {'t-6h', 't-1h', 'overdue'})
        s = lad['t-6h']
        self.assertEqual(s['key'], 'obligation:%d:t-6h' % o['id'])
        self.assertEqual((s['kind'], s['state']), ('ladder', 'queued'))
        self.assertEqual(s['incident_id'], a['id'])
        self.assertEqual(s['obligation_id'], o['id'])
        self.assertEqual(s['audience'], ['assignee', 'dpo', 'security'])
        self.assertEqual(s['data'], {})
        # due now (not at its nominal instant 4 h ago)
        self.assertNear(s['send_at'], t0, 10, 'collapsed step send_at')
        self.assertEqual(parse_ts(s['expires_at']), due + 7 * DAY)
        self.assertEqual(parse_ts(lad['t-1h']['send_at']), due - HOUR)
        self.assertEqual(lad['t-1h']['audience'],
                         ['assignee', 'dpo', 'security'])
        self.assertEqual(parse_ts(lad['overdue']['send_at']), due)
        self.assertEqual(lad['overdue']['audience'],
                         ['assignee', 'dpo', 'security', 'leadership'])
        for r in lad.values():
            self.assertEqual(r['state'], 'queued')
        # a later change of the incident does not resurrect past steps
        self.patch(a['id'], {'title': 'renamed'})
        lad2 = self.ladder_rows(o['id'])
        self.assertEqual(set(lad2), {'t-6h', 't-1h', 'overdue'})
        self.assertEqual(lad2['t-6h']['id'], s['id'])
        self.assertEqual(lad2['t-6h']['send_at'], s['send_at'])

    def test_fresh_incident_full_ladder(self):
        t0 = now()
        aware = t0 - 10 * HOUR
        a = self.aware_incident(aware)
        o = self.ico(a['id'])
        due = parse_ts(o['due_at'])
        lad = self.ladder_rows(o['id'])
        self.assertEqual(set(lad), set(DEFAULT['ladder']))
        self.assertNear(lad['applies']['send_at'], t0, 10)
        self.assertEqual(lad['applies']['audience'], ['assignee', 'dpo'])
        self.assertEqual(parse_ts(lad['half']['send_at']), aware + 36 * HOUR)
        self.assertEqual(lad['half']['audience'], ['assignee', 'dpo'])
        self.assertEqual(parse_ts(lad['t-24h']['send_at']), due - 24 * HOUR)
        self.assertEqual(lad['t-24h']['audience'], ['assignee', 'dpo'])
        self.assertEqual(parse_ts(lad['t-6h']['send_at']), due - 6 * HOUR)
        self.assertEqual(parse_ts(lad['overdue']['send_at']), due)

    def test_met_obligation_cancels_ladder(self):
        a = self.aware_incident(now() - 10 * HOUR)
        o = self.ico(a['id'])
        lad = self.ladder_rows(o['id'])
        self.assertEqual(len(lad), 6)
        self.assertTrue(all(r['state'] == 'queued' for r in lad.values()))
        r = self.fx.as_('handler', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (a['id'], o['id']),
                        body={'sent_at': ts(now() - MINUTE),
                              'reference': 'ICO-1'})
        self.assertStatus(r, 201)
        self.assertEqual(self.ico(a['id'])['state'], 'met')
        lad2 = self.ladder_rows(o['id'])
        self.assertEqual(set(lad2), set(lad))
        self.assertEqual({k: v['state'] for k, v in lad2.items()},
                         {k: 'cancelled' for k in lad})
        # the event alerts of the incident are unaffected
        ev = [x for x in self.rows(a['id']).values() if x['kind'] == 'event']
        self.assertTrue(ev)
        self.assertTrue(all(x['state'] == 'queued' for x in ev))

    def test_aware_at_change_moves_ladder(self):
        t0 = now()
        aware = t0 - 10 * HOUR
        a = self.aware_incident(aware)
        o = self.ico(a['id'])
        lad = self.ladder_rows(o['id'])
        aware2 = aware + 3 * HOUR
        self.patch(a['id'], {'aware_at': ts(aware2)})
        o2 = self.ico(a['id'])
        self.assertEqual(o2['id'], o['id'])
        due2 = parse_ts(o2['due_at'])
        self.assertEqual(due2, aware2 + 72 * HOUR)
        lad2 = self.ladder_rows(o['id'])
        self.assertEqual(set(lad2), set(lad))
        for step in lad:
            self.assertEqual(lad2[step]['id'], lad[step]['id'], step)
            self.assertEqual(lad2[step]['state'], 'queued', step)
        self.assertEqual(parse_ts(lad2['half']['send_at']),
                         aware2 + 36 * HOUR)
        self.assertEqual(parse_ts(lad2['t-24h']['send_at']), due2 - 24 * HOUR)
        self.assertEqual(parse_ts(lad2['t-6h']['send_at']), due2 - 6 * HOUR)
        self.assertEqual(parse_ts(lad2['t-1h']['send_at']), due2 - HOUR)
        self.assertEqual(parse_ts(lad2['overdue']['send_at']), due2)
        self.assertEqual(parse_ts(lad2['overdue']['expires_at']),
                         due2 + 7 * DAY)
        # applies is still past: it stays due
        self.assertEqual(lad2['applies']['send_at'], lad['applies']['send_at'])

    def test_list_filters_paging_and_query_validation(self):
        a = self.create(title='paging')
        self.create(title='paging 2')
        every = self.alerts()
        ids = [x['id'] for x in every]
        self.assertEqual(ids, sorted(ids, reverse=True), 'newest first')
        self.assertGreaterEqual(len(ids), 4)
        # one per page
        r = self.fx.as_('dpo', 'GET', '/api/v1/alerts?limit=1')
        self.assertStatus(r, 200)
        self.assertEqual([x['id'] for x in r[2]['items']], ids[:1])
        self.assertIsInstance(r[2]['next_cursor'], str)
        paged = [x['id'] for x in self.alerts(limit=1)]
        self.assertEqual(paged, ids)
        paged = [x['id'] for x in self.alerts(limit=3)]
        self.assertEqual(paged, ids)
        # filters
        mine = self.alerts(incident_id=a['id'])
        self.assertTrue(mine)
        self.assertTrue(all(x['incident_id'] == a['id'] for x in mine))
        q = self.alerts(state='queued')
        self.assertTrue(q)
        self.assertTrue(all(x['state'] == 'queued' for x in q))
        self.assertEqual(self.alerts(state='sent'), [])
        self.assertEqual(self.alerts(incident_id=999999), [])
        for qs, field in (('state=done', 'state'), ('state=', 'state'),
                          ('incident_id=0', 'incident_id'),
                          ('incident_id=x', 'incident_id'),
                          ('limit=0', 'limit'), ('limit=501', 'limit'),
                          ('limit=1&limit=2', 'limit'),
                          ('cursor=abc', 'cursor'), ('cursor=0', 'cursor'),
                          ('kind=ladder', 'kind')):
            with self.subTest(qs):
                self.assertProblem(self.fx.as_('dpo', 'GET',
                                               '/api/v1/alerts?' + qs),
                                   400, 'invalid-query', field=field)


# ------------------------------------------------------------ long-poll

class LongPoll(Isolated):
    """Test methods run in name order: the empty wait needs an empty
    outbox."""

    def test_1_empty_wait(self):
        el, r = self.poll(wait=0)
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['items'], [])
        self.assertLess(el, 1.0, 'wait=0 answers at once')
        self.assertNear(r[2]['now'], now(), 5)
        # Start the poll late in a wall-clock second (at .85): a server
        # that counts the wait from the start of the current whole second
        # answers up to a second early, and this makes that visible every
        # time rather than by chance.
        time.sleep((1.85 - time.time() % 1.0) % 1.0)
        el, r = self.poll(wait=2)
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['items'], [])
        self.assertGreaterEqual(el, 1.5, 'wait=2 waited %.2f s' % el)
        self.assertLess(el, 5.0, 'wait=2 took %.2f s' % el)

    def test_2_wakes_on_new_alert(self):
        out = {}

        def poller():
            try:
                out['el'], out['r'] = self.poll(wait=10)
            except Exception as e:  # reported below
                out['err'] = e
            out['done'] = time.monotonic()

        th = threading.Thread(target=poller)
        th.start()
        time.sleep(0.7)
        self.assertTrue(th.is_alive(), 'the poll answered before anything '
                        'was due: %r' % (out,))
        t_create = time.monotonic()
        a = self.create(title='wake', assignee='handler')
        th.join(15)
        self.assertFalse(th.is_alive())
        self.assertNotIn('err', out)
        r = out['r']
        self.assertStatus(r, 200)
        since = out['done'] - t_create
        # Woken, not timed out: the 10 s wait would end about 9.3 s after
        # the create; 6 s leaves a loaded ASan run its margin.
        self.assertLess(since, 6.0, 'poll answered %.2f s after the '
                        'incident was created' % since)
        keys = {x['key'] for x in r[2]['items']}
        self.assertTrue([k for k in keys if k.startswith(
            'event:%d:incident.reported:' % a['id'])], keys)
        for x in r[2]['items']:
            self.assertEqual(set(x), {'id', 'key', 'kind', 'send_at'})
            self.assertEqual(x['kind'], 'event')
        # the untriaged reminder is not due yet
        self.assertNotIn('incident:%d:untriaged' % a['id'], keys)
        # two due (reported, assigned): limit caps the answer
        el, r = self.poll(wait=0, limit=1)
        self.assertStatus(r, 200)
        self.assertEqual(len(r[2]['items']), 1)
        el, r = self.poll(wait=0)
        self.assertEqual(len(r[2]['items']), 2, r[2])
        sends = [(x['send_at'], x['id']) for x in r[2]['items']]
        self.assertEqual(sends, sorted(sends))

    def test_4_default_web_url(self):
        # web_base_url empty (the default): links point at this server, at
        # the address it actually listens on
        a = self.create(title='link')
        _, p = self.poll(wait=0, limit=500)
        aid = [x['id'] for x in p[2]['items'] if x['key'].startswith(
            'event:%d:incident.reported:' % a['id'])][0]
        v = self.claim(aid)[2]
        self.assertEqual(v['web_url'], 'http://%s:%d/incident.html?id=%d' % (
            self.fx.server.host, self.fx.server.port, a['id']))

    def test_3_query_validation(self):
        for qs, field in (('wait=61', 'wait'), ('wait=-1', 'wait'),
                          ('wait=x', 'wait'), ('wait=1.5', 'wait'),
                          ('limit=0', 'limit'), ('limit=501', 'limit'),
                          ('wait=1&wait=2', 'wait'), ('since=1', 'since')):
            with self.subTest(qs):
                r = self.fx.as_('notifier', 'GET',
                                '/api/v1/notifier/alerts?' + qs)
                self.assertProblem(r, 400, 'invalid-query', field=field)


class WebLink(Isolated):
    """The link of an alert reaches the web UI's incident page."""

    @classmethod
    def setUpClass(cls):
        cls._fx = harness.Fixture(['--web-root', WEB_ROOT])

    def test_link_serves_the_incident_page(self):
        a = self.create(title='link')
        _, p = self.poll(wait=0, limit=500)
        aid = [x['id'] for x in p[2]['items'] if x['key'].startswith(
            'event:%d:incident.reported:' % a['id'])][0]
        url = urllib.parse.urlsplit(self.claim(aid)[2]['web_url'])
        self.assertEqual((url.path, url.query),
                         ('/incident.html', 'id=%d' % a['id']))
        conn = http.client.HTTPConnection(self.fx.server.host,
                                          self.fx.server.port, timeout=30)
        try:
            conn.request('GET', '%s?%s' % (url.path, url.query))
            resp = conn.getresponse()
            body = resp.read()
        finally:
            conn.close()
        self.assertEqual(resp.status, 200)
        with open(os.path.join(WEB_ROOT, 'incident.html'), 'rb') as f:
            self.assertEqual(body, f.read())


# --------------------------------------------------------------- claims

class Claims(Isolated):

    SETTINGS = doc(security_team=['sec@example.com'],
                   admins=['ops@example.com'],
                   webhooks=[{'url': 'https://hooks.example/x',
                              'format': 'slack'}],
                   web_base_url='https://bc.example')

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user('dana', 'dpo', 'dana@example.com', 'Europe/Paris')
        cls.add_user('hank', 'handler', 'hank@example.com',
                     'America/New_York')
        cls.add_user('root', 'admin', 'root@example.com', 'UTC')
        cls.put_settings(cls.SETTINGS)

    def due_alert(self, iid, prefix):
        """The id of the due alert of incident iid whose key starts with
        prefix (formatted with the incident id)."""
        _, r = self.poll(wait=0, limit=500)
        self.assertStatus(r, 200)
        pre = prefix % iid
        got = [x['id'] for x in r[2]['items'] if x['key'].startswith(pre)]
        self.assertEqual(len(got), 1, '%s in %r' % (pre, r[2]['items']))
        return got[0]

    def reported(self, iid):
        return self.due_alert(iid, 'event:%d:incident.reported:')

    def recipients(self, view):
        out = {}
        for p in view['recipients']:
            self.assertEqual(set(p), {'name', 'email', 'tz', 'roles'})
            self.assertNotIn(p['email'], out, 'duplicate recipient')
            out[p['email']] = p
        return out

    def test_art34_ladder_carries_the_letter(self):
        # The duty to tell the people affected, under UK GDPR and under
        # EU GDPR alike: its escalation carries the Art. 34(2) letter,
        # not a notice to a regulator.
        for where, regime in ((['GB'], 'uk_gdpr_art34_individuals'),
                              (['IE'], 'eu_gdpr_art34_ds')):
            a = self.aware_incident(now() - HOUR, assignee='hank',
                                    jurisdictions=where,
                                    title='people to tell ' + where[0])
            self.decide(a['id'], 'high')
            o = self.obligations(a['id'])[regime]
            aid = self.due_alert(o['id'], 'obligation:%d:applies')
            v = self.claim(aid)[2]
            self.assertEqual(v['obligation']['regime_id'], regime)
            self.assertEqual(v['notice']['kind'], 'art34_letter', regime)
            self.assertIn('Important information about your personal data',
                          v['notice']['body'])
            self.assertStatus(self.ack(aid), 200)

    def test_claim_event_shape_and_ack(self):
        a = self.create(assignee='hank', title='shape',
                        data_categories=['health'], subjects_count=120)
        aid = self.reported(a['id'])
        t0 = now()
        v = self.claim(aid, worker='host:1', lease=60)[2]
        self.assertEqual(v['id'], aid)
        self.assertTrue(v['key'].startswith(
            'event:%d:incident.reported:' % a['id']))
        self.assertEqual((v['kind'], v['step'], v['attempt']),
                         ('event', 'incident.reported', 1))
        self.assertEqual(v['send_at'], a['created_at'])
        self.assertEqual(parse_ts(v['expires_at']),
                         parse_ts(a['created_at']) + 2 * DAY)
        self.assertNear(v['lease_until'], t0 + 60 * SEC, 5)
        self.assertEqual(v['thread_key'], 'incident-%d' % a['id'])
        self.assertEqual(v['web_url'],
                         'https://bc.example/incident.html?id=%d' % a['id'])
        inc = v['incident']
        for k in ('id', 'ref', 'title', 'status', 'risk', 'assignee',
                  'description', 'subjects_count', 'data_categories',
                  'jurisdictions', 'reporter', 'discovered_at', 'aware_at'):
            self.assertEqual(inc[k], a[k], k)
        self.assertEqual(inc['assignee'], 'hank')
        self.assertIsNone(v['obligation'])
        self.assertEqual(v['event'], {'name': 'incident.reported',
                                      'at': a['created_at'],
                                      'actor': 'handler', 'detail': None})
        self.assertIsNone(v['digest'])
        self.assertIsNone(v['failure'])
        # audience security + dpo: the security list and the dpo with an
        # e-mail (the fixture's dpo user has none); not the assignee
        self.assertEqual(self.recipients(v), {
            'sec@example.com': {'name': 'sec@example.com',
                                'email': 'sec@example.com',
                                'tz': 'Europe/London',
                                'roles': ['security']},
            'dana@example.com': {'name': 'dana', 'email': 'dana@example.com',
                                 'tz': 'Europe/Paris', 'roles': ['dpo']}})
        self.assertEqual(v['webhooks'], self.SETTINGS['webhooks'])
        row = self.row(aid)
        self.assertEqual((row['state'], row['lease_owner'], row['attempts']),
                         ('claimed', 'host:1', 1))
        self.assertEqual(row['lease_until'], v['lease_until'])

        # no second claim while the lease lives, by anyone
        self.claim(aid, worker='host:2', expect=409)
        self.claim(aid, worker='host:1', expect=409)
        _, r = self.poll(wait=0)
        self.assertNotIn(aid, [x['id'] for x in r[2]['items']])
        # only the lease holder may ack
        self.assertProblem(self.ack(aid, worker='host:2'), 409, 'conflict')
        r = self.ack(aid, worker='host:1',
                     ids=['<alert-%d.0@breachclock>' % aid,
                          '<alert-%d.1@breachclock>' % aid])
        self.assertStatus(r, 200)
        self.assertEqual(set(r[2]), {'id', 'state', 'sent_at'})
        self.assertEqual((r[2]['id'], r[2]['state']), (aid, 'sent'))
        self.assertNear(r[2]['sent_at'], now(), 5)
        row = self.row(aid)
        self.assertEqual(row['state'], 'sent')
        self.assertEqual(row['sent_at'], r[2]['sent_at'])
        self.assertEqual(row['message_ids'],
                         ['<alert-%d.0@breachclock>' % aid,
                          '<alert-%d.1@breachclock>' % aid])
        self.assertIsNone(row['lease_owner'])
        self.assertIsNone(row['lease_until'])
        # done: nothing more to do with it
        self.assertProblem(self.ack(aid, worker='host:1'), 409, 'conflict')
        self.assertProblem(self.ack(aid, worker=None), 409, 'conflict')
        self.claim(aid, worker='host:1', expect=409)
        self.assertProblem(self.op(aid, 'fail', {'error': 'x'}), 409,
                           'conflict')
        self.assertProblem(self.op(aid, 'release', {}), 409, 'conflict')
        self.assertEqual(self.row(aid)['state'], 'sent')

    def test_claim_assigned_goes_to_assignee(self):
        a = self.create(assignee='hank')
        aid = self.due_alert(a['id'], 'event:%d:incident.assigned:')
        v = self.claim(aid)[2]
        self.assertEqual(v['step'], 'incident.assigned')
        self.assertEqual(self.recipients(v), {
            'hank@example.com': {'name': 'hank', 'email': 'hank@example.com',
                                 'tz': 'America/New_York',
                                 'roles': ['assignee']}})
        self.assertStatus(self.ack(aid), 200)

    def test_claim_ladder_alert(self):
        t0 = now()
        a = self.aware_incident(t0 - 70 * HOUR, assignee='hank')
        o = self.ico(a['id'])
        aid = self.due_alert(o['id'], 'obligation:%d:')
        v = self.claim(aid)[2]
        self.assertEqual((v['kind'], v['step']), ('ladder', 't-6h'))
        self.assertEqual(v['key'], 'obligation:%d:t-6h' % o['id'])
        ob = v['obligation']
        self.assertNotIn('notifications', ob)
        want = dict(o)
        del want['notifications']
        self.assertEqual(ob, want)
        self.assertEqual(ob['regime_id'], ICO)
        self.assertEqual(ob['state'], 'pending')
        self.assertIsNone(v['event'])
        self.assertEqual(parse_ts(v['expires_at']),
                         parse_ts(o['due_at']) + 7 * DAY)
        self.assertEqual(self.recipients(v), {
            'hank@example.com': {'name': 'hank', 'email': 'hank@example.com',
                                 'tz': 'America/New_York',
                                 'roles': ['assignee']},
            'dana@example.com': {'name': 'dana', 'email': 'dana@example.com',
                                 'tz': 'Europe/Paris', 'roles': ['dpo']},
            'sec@example.com': {'name': 'sec@example.com',
                                'email': 'sec@example.com',
                                'tz': 'Europe/London',
                                'roles': ['security']}})
        self.assertStatus(self.ack(aid), 200)
        # the DPO as assignee: one entry with both roles
        b = self.aware_incident(t0 - 70 * HOUR, assignee='dana')
        ob = self.ico(b['id'])
        bid = self.due_alert(ob['id'], 'obligation:%d:')
        rc = self.recipients(self.claim(bid)[2])
        self.assertEqual(rc['dana@example.com']['roles'], ['assignee', 'dpo'])
        self.assertEqual(set(rc), {'dana@example.com', 'sec@example.com'})
        self.assertStatus(self.ack(bid), 200)

    def test_fail_transient(self):
        a = self.create()
        aid = self.reported(a['id'])
        self.claim(aid, worker='w1')
        self.assertProblem(self.op(aid, 'fail', {'error': 'x',
                                                 'worker': 'w2'}),
                           409, 'conflict')
        t0 = now()
        r = self.op(aid, 'fail', {'error': '421 4.7.0 try again later',
                                  'permanent': False, 'worker': 'w1'})
        self.assertStatus(r, 200)
        self.assertEqual(set(r[2]), {'id', 'state', 'next_attempt_at'})
        self.assertEqual((r[2]['id'], r[2]['state']), (aid, 'queued'))
        nxt = parse_ts(r[2]['next_attempt_at'])
        # first attempt: 30 s x 1^2
        self.assertGreater(nxt, now())
        self.assertNear(nxt, t0 + 30 * SEC, 5, 'backoff')
        row = self.row(aid)
        self.assertEqual(row['state'], 'queued')
        self.assertEqual(row['next_attempt_at'], r[2]['next_attempt_at'])
        self.assertEqual(row['last_error'], '421 4.7.0 try again later')
        self.assertEqual(row['attempts'], 1)
        self.assertIsNone(row['lease_owner'])
        # not due again before next_attempt_at
        _, p = self.poll(wait=0)
        self.assertNotIn(aid, [x['id'] for x in p[2]['items']])
        self.claim(aid, expect=409)
        # no failure notice for a transient failure
        self.assertFalse([x for x in self.alerts()
                          if x['key'] == 'failure:%d' % aid])

    def test_partial_failure_keeps_delivered(self):
        a = self.create()
        aid = self.reported(a['id'])
        v = self.claim(aid, worker='w1')
        self.assertEqual(v[2]['delivered'], [])
        mid = '<alert-%d.0@breachclock>' % aid
        r = self.op(aid, 'fail', {'error': '451 mailbox busy',
                                  'worker': 'w1', 'message_ids': [mid]})
        self.assertStatus(r, 200)
        self.assertEqual(self.row(aid)['message_ids'], [mid])
        self.assertProblem(self.op(aid, 'fail', {'error': 'x',
                                                 'message_ids': 'nope'}),
                           400, 'invalid-field')

    def test_fail_permanent(self):
        a = self.create()
        aid = self.reported(a['id'])
        key = self.claim(aid, worker='w1')[2]['key']
        r = self.op(aid, 'fail', {'error': '550 5.1.1 no such user',
                                  'permanent': True})
        self.assertStatus(r, 200)
        self.assertEqual(r[2], {'id': aid, 'state': 'failed',
                                'next_attempt_at': None})
        row = self.row(aid)
        self.assertEqual(row['state'], 'failed')
        self.assertEqual(row['last_error'], '550 5.1.1 no such user')
        self.claim(aid, expect=409)
        fails = [x for x in self.alerts() if x['key'] == 'failure:%d' % aid]
        self.assertEqual(len(fails), 1)
        f = fails[0]
        self.assertEqual((f['kind'], f['step'], f['state']),
                         ('failure', 'alert.failed', 'queued'))
        self.assertEqual(f['audience'], ['admins'])
        self.assertEqual(f['incident_id'], a['id'])
        self.assertEqual(f['data'], {'alert_id': aid, 'key': key,
                                     'incident_id': a['id'],
                                     'error': '550 5.1.1 no such user'})
        # due at once; claimed, it goes to the admins list and the admin
        # users with an e-mail
        _, p = self.poll(wait=0)
        self.assertIn(f['id'], [x['id'] for x in p[2]['items']])
        v = self.claim(f['id'], worker='w1')[2]
        self.assertEqual(v['failure'], f['data'])
        self.assertEqual(v['thread_key'], 'incident-%d' % a['id'])
        self.assertIsNone(v['event'])
        self.assertEqual(self.recipients(v), {
            'ops@example.com': {'name': 'ops@example.com',
                                'email': 'ops@example.com',
                                'tz': 'Europe/London', 'roles': ['admins']},
            'root@example.com': {'name': 'root', 'email': 'root@example.com',
                                 'tz': 'UTC', 'roles': ['admins']}})
        # a failure notice that fails raises no further notice
        r = self.op(f['id'], 'fail', {'error': '550 again',
                                      'permanent': True})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['state'], 'failed')
        self.assertFalse([x for x in self.alerts()
                          if x['key'] == 'failure:%d' % f['id']])

    def test_release(self):
        a = self.create()
        aid = self.reported(a['id'])
        self.assertEqual(self.claim(aid, worker='w1')[2]['attempt'], 1)
        self.assertProblem(self.op(aid, 'release', {'worker': 'w2'}), 409,
                           'conflict')
        r = self.op(aid, 'release', {'worker': 'w1'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2], {'id': aid, 'state': 'queued'})
        row = self.row(aid)
        self.assertEqual(row['state'], 'queued')
        self.assertIsNone(row['lease_owner'])
        self.assertIsNone(row['lease_until'])
        self.assertIsNone(row['next_attempt_at'])
        # due again at once; the released claim was not an attempt
        _, p = self.poll(wait=0)
        self.assertIn(aid, [x['id'] for x in p[2]['items']])
        self.assertEqual(self.claim(aid, worker='w2')[2]['attempt'], 1)
        # release with an empty body works too
        r = self.op(aid, 'release', {})
        self.assertStatus(r, 200)
        self.assertProblem(self.op(aid, 'release', {}), 409, 'conflict')

    def test_lease_expiry(self):
        a = self.create()
        aid = self.reported(a['id'])
        v = self.claim(aid, worker='a', lease=5)[2]
        self.assertEqual(v['attempt'], 1)
        self.claim(aid, worker='b', expect=409)
        time.sleep(6)
        _, p = self.poll(wait=0)
        self.assertIn(aid, [x['id'] for x in p[2]['items']],
                      'an expired lease makes the alert due again')
        v = self.claim(aid, worker='b', lease=60)[2]
        self.assertEqual(v['attempt'], 2)
        self.assertEqual(self.row(aid)['lease_owner'], 'b')
        self.assertProblem(self.ack(aid, worker='a'), 409, 'conflict')
        self.assertStatus(self.ack(aid, worker='b'), 200)

    def test_validation(self):
        a = self.create()
        aid = self.reported(a['id'])
        for body, field in (({'lease_seconds': 4}, 'lease_seconds'),
                            ({'lease_seconds': 601}, 'lease_seconds'),
                            ({'lease_seconds': '60'}, 'lease_seconds'),
                            ({'lease_seconds': 60.5}, 'lease_seconds'),
                            ({'worker': 'w' * 101}, 'worker'),
                            ({'worker': 'a\nb'}, 'worker'),
                            ({'worker': 5}, 'worker'),
                            ({'worker': ''}, 'worker'),
                            ({'worker': None}, 'worker'),
                            ({'lease_seconds': None}, 'lease_seconds'),
                            ({'owner': 'x'}, 'owner')):
            with self.subTest(claim=body):
                self.assertProblem(self.op(aid, 'claim', body), 400,
                                   'invalid-field', field=field)
        self.assertEqual(self.row(aid)['state'], 'queued')
        self.assertStatus(self.op(aid, 'claim', {'worker': 'w' * 100,
                                                 'lease_seconds': 5}), 200)
        for body, field in (({}, 'message_ids'),
                            ({'message_ids': 'x'}, 'message_ids'),
                            ({'message_ids': ['']}, 'message_ids'),
                            ({'message_ids': [5]}, 'message_ids'),
                            ({'message_ids': ['x' * 999]}, 'message_ids'),
                            ({'message_ids': ['<m>'] * 101}, 'message_ids'),
                            ({'message_ids': [], 'extra': 1}, 'extra')):
            with self.subTest(ack=repr(body)[:60]):
                self.assertProblem(self.op(aid, 'ack', body), 400,
                                   'invalid-field', field=field)
        for body, field in (({}, 'error'), ({'error': 5}, 'error'),
                            ({'error': 'e' * 2001}, 'error'),
                            ({'error': 'x', 'permanent': 'yes'}, 'permanent'),
                            ({'error': 'x', 'retry': True}, 'retry')):
            with self.subTest(fail=repr(body)[:60]):
                self.assertProblem(self.op(aid, 'fail', body), 400,
                                   'invalid-field', field=field)
        self.assertProblem(self.op(aid, 'release', {'lease': 1}), 400,
                           'invalid-field', field='lease')
        # AlertWorker is 1 to 100 characters, never null, on every call
        for what, extra in (('release', {}), ('ack', {'message_ids': []}),
                            ('fail', {'error': 'x'})):
            for worker, detail in (('', 'worker: must not be empty'),
                                   (None, 'worker: must not be null')):
                with self.subTest(what=what, worker=worker):
                    r = self.op(aid, what, dict(extra, worker=worker))
                    self.assertProblem(r, 400, 'invalid-field',
                                       field='worker')
                    self.assertEqual(r[2]['detail'], detail)
        for body, field in (({'error': 'x', 'permanent': None}, 'permanent'),
                            ({'error': 'x', 'message_ids': None},
                             'message_ids')):
            with self.subTest(fail=body):
                self.assertProblem(self.op(aid, 'fail', body), 400,
                                   'invalid-field', field=field)
        self.assertEqual(self.row(aid)['state'], 'claimed')
        r = self.fx.as_('notifier', 'POST',
                        '/api/v1/notifier/alerts/%d/claim' % aid, raw='{}',
                        headers={'Content-Type': 'text/plain'})
        self.assertProblem(r, 415, 'unsupported-media-type')
        for what in NOTIFIER_PATHS:
            body = {'error': 'x'} if what == 'fail' else \
                {'message_ids': []} if what == 'ack' else {}
            with self.subTest(missing=what):
                self.assertProblem(self.op(999999, what, body), 404,
                                   'not-found')
        self.assertStatus(self.ack(aid, worker=None, ids=[]), 200)

    def test_zz_digest(self):
        """Runs last: it adds leadership (and so the digest) to the
        settings."""
        # The digest is keyed by the server's UTC day when polled: keep
        # clear of midnight, where this day and the server's could differ
        # (and the second poll queue the next day's digest).
        left = 86400 - int(now().timestamp()) % 86400
        if left < 30:
            time.sleep(left + 1)
        today = now().strftime('%Y-%m-%d')
        self.put_settings(dict(self.SETTINGS, leadership=['boss@example.com'],
                               digest_hour_utc=0))
        try:
            _, p = self.poll(wait=0, limit=500)
            dg = [x for x in p[2]['items'] if x['key'] == 'digest:' + today]
            self.assertEqual(len(dg), 1, p[2]['items'])
            self.assertEqual(dg[0]['kind'], 'digest')
            self.assertEqual(dg[0]['send_at'], today + 'T00:00:00Z')
            # queued once a day, not once per poll
            self.poll(wait=0)
            self.assertEqual(len([x for x in self.alerts()
                                  if x['kind'] == 'digest']), 1)
            v = self.claim(dg[0]['id'])[2]
            self.assertEqual((v['kind'], v['step']), ('digest', 'digest'))
            self.assertIsNone(v['incident'])
            self.assertIsNone(v['obligation'])
            self.assertIsNone(v['event'])
            self.assertIsNone(v['failure'])
            self.assertEqual(v['thread_key'], 'digest')
            self.assertEqual(v['web_url'], '')
            self.assertEqual(set(v['digest']),
                             {'open_incidents', 'due_7d', 'overdue'})
            self.assertTrue(v['digest']['open_incidents'])
            refs = {o['ref'] for o in v['digest']['due_7d']}
            self.assertTrue(refs, 'the ladder incidents are due within 7 d')
            self.assertEqual(self.recipients(v), {
                'boss@example.com': {'name': 'boss@example.com',
                                     'email': 'boss@example.com',
                                     'tz': 'Europe/London',
                                     'roles': ['leadership']}})
            self.assertStatus(self.ack(dg[0]['id']), 200)
        finally:
            self.put_settings(self.SETTINGS)


# -------------------------------------------------------------- overdue

class Overdue(Isolated):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.put_settings(doc(ladder=['overdue']))

    def overdue_alert(self, iid):
        o = self.ico(iid)
        lad = self.ladder_rows(o['id'])
        self.assertEqual(set(lad), {'overdue'})
        return o, lad['overdue']

    def test_ack_overdue_queues_next(self):
        t0 = now()
        a = self.aware_incident(t0 - 80 * HOUR)
        o, od = self.overdue_alert(a['id'])
        self.assertEqual(parse_ts(o['due_at']), t0 - 8 * HOUR)
        self.assertEqual(od['key'], 'obligation:%d:overdue' % o['id'])
        self.assertNear(od['send_at'], t0, 10, 'overdue is due now')
        self.assertEqual(od['audience'],
                         ['assignee', 'dpo', 'security', 'leadership'])
        v = self.claim(od['id'])[2]
        self.assertEqual(v['step'], 'overdue')
        # pending and past its deadline: reported as missed (as in
        # GET /api/v1/incidents/{id}/obligations)
        self.assertEqual(v['obligation']['state'], o['state'])
        self.assertEqual(o['state'], 'missed')
        self.assertStatus(self.ack(od['id']), 200)
        lad = self.ladder_rows(o['id'])
        self.assertEqual(set(lad), {'overdue', 'overdue-1'})
        n1 = lad['overdue-1']
        self.assertEqual(n1['key'], 'obligation:%d:overdue-1' % o['id'])
        self.assertEqual((n1['kind'], n1['state']), ('ladder', 'queued'))
        self.assertEqual(n1['obligation_id'], o['id'])
        self.assertEqual(n1['incident_id'], a['id'])
        self.assertEqual(n1['audience'],
                         ['assignee', 'dpo', 'security', 'leadership'])
        self.assertNear(n1['send_at'], parse_ts(od['send_at']) + 24 * HOUR,
                        5, 'overdue-1 24 h after overdue')
        self.assertEqual(parse_ts(n1['expires_at']),
                         parse_ts(n1['send_at']) + 7 * DAY)
        # not due yet
        _, p = self.poll(wait=0)
        self.assertNotIn(n1['id'], [x['id'] for x in p[2]['items']])
        # the incident changing does not disturb it
        self.patch(a['id'], {'title': 'still overdue'})
        lad2 = self.ladder_rows(o['id'])
        self.assertEqual(lad2['overdue-1']['state'], 'queued')
        self.assertEqual(lad2['overdue-1']['send_at'], n1['send_at'])
        self.assertEqual(lad2['overdue']['state'], 'sent')

    def test_ack_overdue_of_met_obligation_queues_nothing(self):
        t0 = now()
        a = self.aware_incident(t0 - 80 * HOUR)
        o, od = self.overdue_alert(a['id'])
        self.claim(od['id'])
        r = self.fx.as_('handler', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (a['id'], o['id']),
                        body={'sent_at': ts(now() - MINUTE),
                              'delay_reason': 'found late'})
        self.assertStatus(r, 201)
        self.assertStatus(self.ack(od['id']), 200)
        self.assertEqual(set(self.ladder_rows(o['id'])), {'overdue'})

    def test_transient_failure_past_expiry_fails(self):
        # due 7 days and 1 hour ago: the overdue step expires 1 h ago
        t0 = now()
        a = self.aware_incident(t0 - 72 * HOUR - 7 * DAY - HOUR)
        o, od = self.overdue_alert(a['id'])
        self.assertEqual(parse_ts(od['expires_at']),
                         parse_ts(o['due_at']) + 7 * DAY)
        self.assertLess(parse_ts(od['expires_at']), now())
        self.claim(od['id'])
        r = self.op(od['id'], 'fail', {'error': '451 later'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2], {'id': od['id'], 'state': 'failed',
                                'next_attempt_at': None})
        self.assertEqual(self.row(od['id'])['state'], 'failed')

    def test_per_regime_ladder(self):
        self.put_settings(doc(ladder=['overdue'],
                              regimes={ICO: {'ladder': ['t-2h', 't-30m']}}))
        try:
            t0 = now()
            a = self.aware_incident(t0 - 10 * HOUR)
            o = self.ico(a['id'])
            due = parse_ts(o['due_at'])
            lad = self.ladder_rows(o['id'])
            self.assertEqual(set(lad), {'t-2h', 't-30m'})
            self.assertEqual(parse_ts(lad['t-2h']['send_at']), due - 2 * HOUR)
            self.assertEqual(parse_ts(lad['t-30m']['send_at']),
                             due - 30 * MINUTE)
            self.assertEqual(lad['t-30m']['audience'],
                             ['assignee', 'dpo', 'security'])
        finally:
            self.put_settings(doc(ladder=['overdue']))


if __name__ == '__main__':
    harness.main()
