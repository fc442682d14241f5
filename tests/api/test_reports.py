"""
GET /api/v1/reports: figures over a seeded set of incidents, every one
built through the real API (obligations met on time, late, missed,
waived, not required, pending), checked against numbers worked out by
hand below; period filters and their edges; roles; bad query values;
by_month in the months of a time zone (tz, class ZoneMonths).

The seeded incidents (all times UTC; ICO = uk_gdpr_art33_ico, due
aware_at + 72 h; every one in GB, the default jurisdiction):

  name disc               aware      cause           people status        risk     ICO notice
  G    2024-12-31 23:59:59 -          malware         3      suspected     -        (outside 2025Q1)
  A    2025-01-10 09:00    10:00      phishing        100    confirmed     risk     +20 h, on time
  B    2025-01-20 08:00    08:00      phishing        50     confirmed     risk     +80 h, late
  J    2025-01-25 00:00    00:00      unknown         7      investigating -        waived
  C    2025-03-05 12:00    12:00      ransomware      -      confirmed     high     +48 h, on time; Art. 34 pending
  K    2025-03-10 00:00    00:00      phishing        1000   closed        risk     +10.5 h, on time
  D    2025-03-20 00:00    06:00      (none)          10     investigating -        none: missed
  E    2025-03-25 10:00    -          misdirected_email 5    not_a_breach  unlikely (no clock)
  F    2025-03-28 10:00    10:00      lost_or_stolen_device 0 investigating unlikely not required
  H    2025-04-01 00:00:00 -          other           2      suspected     -        (outside 2025Q1)
"""

import datetime
import http.client
import unittest
import urllib.parse

import harness
from harness import ApiCase

Z = datetime.timezone.utc
ICO = 'uk_gdpr_art33_ico'
ART34 = 'uk_gdpr_art34_individuals'


def t(s):
    return datetime.datetime.strptime(s, '%Y-%m-%d %H:%M:%S').replace(
        tzinfo=Z)


def setUpModule():
    harness.setup_module()
    Seed.run()


def tearDownModule():
    harness.teardown_module()


class Seed(ApiCase):
    """Builds the incidents of the module docstring once."""

    ids = {}

    @classmethod
    def run(cls):
        case = cls('setUp')
        case.seed()

    def setUp(self):
        pass

    def incident(self, name, disc, cause=None, people=None, aware=None,
                 **extra):
        body = {'title': 'Incident %s' % name,
                'discovered_at': harness.ts(t(disc))}
        if cause is not None:
            body['cause'] = cause
        if people is not None:
            body['subjects_count'] = people
        body.update(extra)
        inc = self.create(**body)
        self.ids[name] = inc['id']
        if aware is not None:
            self.patch(inc['id'], {'status': 'investigating',
                                   'aware_at': harness.ts(t(aware))})
        return inc['id']

    def notify(self, iid, regime, sent, late=False):
        ob = self.obligations(iid)[regime]
        body = {'sent_at': harness.ts(sent), 'reference': 'IC-%d' % iid}
        if late:
            body['delay_reason'] = 'The facts took time to establish.'
        r = self.fx.as_('handler', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (iid, ob['id']), body=body)
        self.assertStatus(r, 201, 'notify %d' % iid)

    def seed(self):
        H = datetime.timedelta(hours=1)
        self.incident('G', '2024-12-31 23:59:59', 'malware', 3)
        a = self.incident('A', '2025-01-10 09:00:00', 'phishing', 100,
                          aware='2025-01-10 10:00:00')
        self.decide(a, 'risk')
        self.notify(a, ICO, t('2025-01-10 10:00:00') + 20 * H)
        self.walk(a, 'confirmed')
        b = self.incident('B', '2025-01-20 08:00:00', 'phishing', 50,
                          aware='2025-01-20 08:00:00')
        self.decide(b, 'risk')
        self.notify(b, ICO, t('2025-01-20 08:00:00') + 80 * H, late=True)
        self.walk(b, 'confirmed')
        j = self.incident('J', '2025-01-25 00:00:00', 'unknown', 7,
                          aware='2025-01-25 00:00:00')
        r = self.fx.as_('dpo', 'POST', '/api/v1/incidents/%d/obligations/'
                        '%d/waive' % (j, self.obligations(j)[ICO]['id']),
                        body={'reason': 'Reported by the processor.'})
        self.assertStatus(r, 200, 'waive')
        c = self.incident('C', '2025-03-05 12:00:00', 'ransomware',
                          aware='2025-03-05 12:00:00')
        self.decide(c, 'high')
        self.notify(c, ICO, t('2025-03-05 12:00:00') + 48 * H)
        self.walk(c, 'confirmed')
        k = self.incident('K', '2025-03-10 00:00:00', 'phishing', 1000,
                          aware='2025-03-10 00:00:00')
        self.decide(k, 'risk')
        self.notify(k, ICO, t('2025-03-10 10:30:00'))
        self.walk(k, 'confirmed', 'contained', 'closed')
        self.incident('D', '2025-03-20 00:00:00', None, 10,
                      aware='2025-03-20 06:00:00')
        e = self.incident('E', '2025-03-25 10:00:00', 'misdirected_email', 5,
                          not_a_breach_reason='Sent to our own auditor.')
        self.walk(e, 'investigating')
        self.decide(e, 'unlikely')
        self.walk(e, 'not_a_breach')
        f = self.incident('F', '2025-03-28 10:00:00', 'lost_or_stolen_device',
                          0, aware='2025-03-28 10:00:00')
        self.decide(f, 'unlikely')
        self.incident('H', '2025-04-01 00:00:00', 'other', 2)


Q1 = '/api/v1/reports?from=2025-01-01&to=2025-03-31'


class Figures(ApiCase):

    def report(self, query='', user='viewer'):
        r = self.fx.as_(user, 'GET', '/api/v1/reports' + query)
        self.assertStatus(r, 200, query)
        return r[2]

    def test_seed_obligation_states(self):
        """The states the figures below rest on, as the API shows them."""
        ids = Seed.ids
        want = {'A': 'met', 'B': 'met', 'J': 'waived', 'C': 'met',
                'K': 'met', 'D': 'missed', 'F': 'not_required'}
        for name, state in want.items():
            self.assertEqual(self.obligations(ids[name])[ICO]['state'],
                             state, name)
        self.assertEqual(self.obligations(ids['C'])[ART34]['state'],
                         'pending')
        for name in 'ABJKDF':
            self.assertEqual(set(self.obligations(ids[name])), {ICO}, name)
        for name in 'EGH':
            self.assertEqual(self.obligations(ids[name]), {}, name)

    def test_quarter(self):
        rep = self.fx.as_('viewer', 'GET', Q1)[2]
        self.assertEqual(rep['from'], '2025-01-01T00:00:00Z')
        self.assertEqual(rep['to'], '2025-03-31T23:59:59Z')
        self.assertTs(rep['generated_at'])
        inc = rep['incidents']
        self.assertEqual(inc['total'], 8)
        self.assertEqual(inc['by_month'], [
            {'month': '2025-01', 'count': 3},
            {'month': '2025-02', 'count': 0},
            {'month': '2025-03', 'count': 5}])
        self.assertEqual(inc['by_cause'], [
            {'cause': 'phishing', 'count': 3},
            {'cause': 'lost_or_stolen_device', 'count': 1},
            {'cause': 'misdirected_email', 'count': 1},
            {'cause': 'not_recorded', 'count': 1},
            {'cause': 'ransomware', 'count': 1},
            {'cause': 'unknown', 'count': 1}])
        self.assertEqual(inc['by_risk'], [
            {'risk': 'risk', 'count': 3},
            {'risk': 'none', 'count': 2},
            {'risk': 'unlikely', 'count': 2},
            {'risk': 'high', 'count': 1}])
        self.assertEqual(inc['by_status'], [
            {'status': 'confirmed', 'count': 3},
            {'status': 'investigating', 'count': 3},
            {'status': 'closed', 'count': 1},
            {'status': 'not_a_breach', 'count': 1}])
        # People: E is not a breach; C has no count.
        self.assertEqual(rep['people'], {
            'subjects_total': 100 + 50 + 7 + 1000 + 10 + 0,
            'incidents_with_count': 6, 'incidents_unknown_count': 1})
        self.assertEqual(rep['obligations'], {
            'total': 8, 'met_on_time': 3, 'met_late': 1, 'missed': 1,
            'pending': 1, 'waived': 1, 'not_required': 1,
            'met_on_time_share': 0.6})
        # ICO samples 10.5, 20, 48, 80 h: nearest-rank median is rank
        # ceil(4 * 0.5) = 2 (20 h, not the mean of the middle two), p90
        # rank ceil(3.6) = 4 (80 h).
        times = {'count': 4, 'median_hours': 20, 'p90_hours': 80}
        nt = rep['notice_times']
        self.assertEqual(nt['ico'], times)
        self.assertEqual(nt['by_regime'], [dict(times, regime_id=ICO,
                                                notify='regulator')])
        self.assertEqual(nt['by_recipient_class'],
                         [dict(times, notify='regulator')])

    def test_march_only(self):
        rep = self.report('?from=2025-03-01T00:00:00Z&to=2025-03-31')
        self.assertEqual(rep['incidents']['total'], 5)
        self.assertEqual(rep['incidents']['by_month'],
                         [{'month': '2025-03', 'count': 5}])
        # Samples 10.5 and 48 h: median rank 1, p90 rank ceil(1.8) = 2.
        self.assertEqual(rep['notice_times']['ico'], {
            'count': 2, 'median_hours': 10.5, 'p90_hours': 48})
        self.assertEqual(rep['obligations'], {
            'total': 5, 'met_on_time': 2, 'met_late': 0, 'missed': 1,
            'pending': 1, 'waived': 0, 'not_required': 1,
            'met_on_time_share': 0.6667})

    def test_everything(self):
        rep = self.report()
        self.assertIsNone(rep['from'])
        self.assertIsNone(rep['to'])
        self.assertEqual(rep['incidents']['total'], 10)
        months = [m['month'] for m in rep['incidents']['by_month']]
        self.assertEqual(months, ['2024-12', '2025-01', '2025-02', '2025-03',
                                  '2025-04'])
        self.assertEqual(rep['people']['subjects_total'], 1167 + 3 + 2)

    def test_edges_are_inclusive(self):
        # G is at 2024-12-31T23:59:59Z, H at 2025-04-01T00:00:00Z.
        cases = [
            ('?to=2024-12-31', 1),
            ('?to=2024-12-31T23:59:58Z', 0),
            ('?to=2024-12-31T23:59:59Z', 1),
            ('?from=2025-04-01', 1),
            ('?from=2025-04-01T00:00:01Z', 0),
            ('?from=2025-04-01T01:00:00%2B01:00', 1),
            ('?from=2025-01-10T10:00:00%2B01:00&to=2025-01-10', 1),
            ('?from=2024-12-31T23:59:59Z&to=2025-04-01T00:00:00Z', 10),
            ('?from=2030-01-01', 0),
        ]
        for q, n in cases:
            with self.subTest(q=q):
                rep = self.report(q)
                self.assertEqual(rep['incidents']['total'], n)

    def test_empty_period(self):
        rep = self.report('?from=2020-01-01&to=2020-12-31')
        self.assertEqual(rep['incidents'], {
            'total': 0, 'by_month': [], 'by_cause': [], 'by_risk': [],
            'by_status': []})
        self.assertEqual(rep['obligations']['total'], 0)
        self.assertIsNone(rep['obligations']['met_on_time_share'])
        self.assertEqual(rep['notice_times']['ico'], {
            'count': 0, 'median_hours': None, 'p90_hours': None})
        self.assertEqual(rep['people'], {
            'subjects_total': 0, 'incidents_with_count': 0,
            'incidents_unknown_count': 0})

    def test_numbers_are_short(self):
        """Hours and shares are written as 10.5 and 0.6667, not as the
        nearest double's 17 digits."""
        conn = http.client.HTTPConnection(self.fx.server.host,
                                          self.fx.server.port, timeout=30)
        try:
            conn.request('GET', '/api/v1/reports?from=2025-03-01',
                         headers={'Authorization': 'Bearer ' +
                                  self.fx.tok['viewer']})
            resp = conn.getresponse()
            text = resp.read().decode()
        finally:
            conn.close()
        self.assertEqual(resp.status, 200)
        self.assertIn('"met_on_time_share":0.6667}', text)
        self.assertIn('"median_hours":10.5,', text)


class Access(ApiCase):

    def test_roles(self):
        for user in ('handler', 'dpo', 'viewer', 'admin'):
            with self.subTest(user=user):
                self.assertStatus(self.fx.as_(user, 'GET', Q1), 200)
        self.assertProblem(self.fx.as_('reporter', 'GET', Q1), 403,
                           'forbidden')
        self.assertProblem(self.fx.as_('notifier', 'GET', Q1), 403,
                           'forbidden')
        self.assertProblem(self.fx.request('GET', Q1), 401, 'unauthorized')

    def test_bad_query(self):
        cases = [
            ('?from=2025-02-30', 'from'),
            ('?from=2025-1-1', 'from'),
            ('?from=yesterday', 'from'),
            ('?from=2025-01-01T00:00:00', 'from'),
            ('?to=2025-13-01', 'to'),
            ('?to=', 'to'),
            ('?from=2025-03-01&to=2025-02-28', 'to'),
            ('?from=2025-01-01T00:00:01Z&to=2025-01-01T00:00:00Z', 'to'),
            ('?format=csv', 'format'),
            ('?from=2025-01-01&from=2025-02-01', 'from'),
        ]
        for q, field in cases:
            with self.subTest(q=q):
                self.assertProblem(self.fx.as_('viewer', 'GET',
                                               '/api/v1/reports' + q),
                                   400, 'invalid-query', field)


ZONE_DISCOVERED = {
    'A': '2025-03-31T23:30:00Z',
    'B': '2025-04-30T22:59:59Z',
    'C': '2025-04-30T23:00:00Z',
    'D': '2025-06-30T22:30:00Z',
}


def months(*pairs):
    return [{'month': m, 'count': n} for m, n in pairs]


class ZoneMonths(ApiCase):
    """?tz=: by_month counts each incident in the calendar month of its
    discovered_at in that zone (UTC without tz), and a bare date in
    from/to is that day in the zone.  On a server of its own, so that
    its incidents leave the figures above alone:

      name discovered_at (UTC) UTC month London (BST)         Berlin (CEST)
      A    2025-03-31 23:30:00 2025-03   04-01 00:30 (04)      01:30 (04)
      B    2025-04-30 22:59:59 2025-04   04-30 23:59:59 (04)   00:59:59 (05)
      C    2025-04-30 23:00:00 2025-04   05-01 00:00 (05)      01:00 (05)
      D    2025-06-30 22:30:00 2025-06   06-30 23:30 (06)      00:30 (07)
    """

    own = None

    @classmethod
    def setUpClass(cls):
        cls.own = harness.Fixture()
        case = cls('setUp')
        for name, disc in ZONE_DISCOVERED.items():
            case.create(title='Incident %s' % name, discovered_at=disc)

    @classmethod
    def tearDownClass(cls):
        rc = cls.own.stop()
        cls.own.cleanup(rc == 0)
        if rc != 0:
            raise AssertionError('server exit status on SIGTERM: %d' % rc)

    @property
    def fx(self):
        return self.own

    def report(self, **query):
        q = urllib.parse.urlencode(query)
        r = self.fx.as_('viewer', 'GET', '/api/v1/reports' +
                        ('?' + q if q else ''))
        self.assertStatus(r, 200, q)
        return r[2]

    def test_utc_without_tz(self):
        """Unchanged for clients that send no tz: UTC months."""
        want = months(('2025-03', 1), ('2025-04', 2), ('2025-05', 0),
                      ('2025-06', 1))
        self.assertEqual(self.report()['incidents']['by_month'], want)
        self.assertEqual(self.report(tz='UTC')['incidents']['by_month'],
                         want)

    def test_london_bst(self):
        """A at 00:30 BST on 1 April is April in London; C at midnight
        BST on 1 May is May; B one second before it is still April."""
        rep = self.report(tz='Europe/London')
        self.assertEqual(rep['incidents']['by_month'], months(
            ('2025-04', 2), ('2025-05', 1), ('2025-06', 1)))
        self.assertEqual(rep['incidents']['total'], 4)

    def test_berlin_east_of_utc(self):
        """Berlin's months start two hours before UTC's in summer: B and
        C are May there, D (00:30 CEST on 1 July) is July."""
        rep = self.report(tz='Europe/Berlin')
        self.assertEqual(rep['incidents']['by_month'], months(
            ('2025-04', 1), ('2025-05', 2), ('2025-06', 0),
            ('2025-07', 1)))
        self.assertEqual(rep['incidents']['total'], 4)

    def test_instant_bounds_with_tz(self):
        """from/to instants are instants whatever tz is; tz only groups."""
        rep = self.report(**{'from': '2025-04-30T23:00:00Z',
                             'tz': 'Europe/London'})
        self.assertEqual(rep['from'], '2025-04-30T23:00:00Z')
        self.assertEqual(rep['incidents']['by_month'], months(
            ('2025-05', 1), ('2025-06', 1)))

    def test_dates_are_days_in_tz(self):
        """With tz, a bare date is that day in the zone (as the web page
        reads its date fields); without, the UTC day."""
        rep = self.report(**{'from': '2025-04-01', 'to': '2025-04-30',
                             'tz': 'Europe/London'})
        self.assertEqual(rep['from'], '2025-03-31T23:00:00Z')
        self.assertEqual(rep['to'], '2025-04-30T22:59:59Z')
        self.assertEqual(rep['incidents']['by_month'],
                         months(('2025-04', 2)))
        rep = self.report(**{'from': '2025-04-01', 'to': '2025-04-30'})
        self.assertEqual(rep['from'], '2025-04-01T00:00:00Z')
        self.assertEqual(rep['to'], '2025-04-30T23:59:59Z')
        self.assertEqual(rep['incidents']['by_month'],
                         months(('2025-04', 2)))
        rep = self.report(**{'from': '2025-05-01', 'to': '2025-05-31',
                             'tz': 'Europe/Berlin'})
        self.assertEqual(rep['from'], '2025-04-30T22:00:00Z')
        self.assertEqual(rep['incidents']['by_month'],
                         months(('2025-05', 2)))
        self.assertEqual(self.report(**{'from': '2025-05-01',
                                        'to': '2025-05-31'})
                         ['incidents']['total'], 0)

    def test_bad_zone(self):
        for tz in ('Mars/Olympus_Mons', '', 'Europe/../Europe/London',
                   'posix/Europe/London', 'localtime', '/etc/localtime',
                   'Europe/London ', 'x' * 65):
            with self.subTest(tz=tz):
                r = self.fx.as_('viewer', 'GET', '/api/v1/reports?' +
                                urllib.parse.urlencode({'tz': tz}))
                self.assertProblem(r, 400, 'invalid-query', 'tz')
        r = self.fx.as_('viewer', 'GET', '/api/v1/reports?'
                        'tz=Europe/London&from=2025-02-30')
        self.assertProblem(r, 400, 'invalid-query', 'from')


if __name__ == '__main__':
    harness.main()
