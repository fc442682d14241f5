"""Holiday calendars: GET /api/v1/holiday-sets, GET and PUT
/api/v1/holiday-sets/{set_id} (a GOV.UK division or a list of dates), the
recompute of open incidents' deadlines, the audit event, validation and
roles."""

import datetime
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import parse_ts  # noqa: E402

SETS = ['br', 'gb-eaw', 'gb-ni', 'gb-sct', 'us']
SUMMARY_KEYS = {'id', 'name', 'source', 'updated_at', 'count', 'first_date',
                'last_date'}
ANPD = 'br_lgpd_anpd_res15_art6'
ROLES = set(harness.USERS)


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class HolidaySets(harness.ApiCase):

    def get_set(self, set_id, user='viewer'):
        r = self.fx.as_(user, 'GET', '/api/v1/holiday-sets/' + set_id)
        self.assertStatus(r, 200, set_id)
        return r[2]

    def put(self, set_id, body, user='admin'):
        return self.fx.as_(user, 'PUT', '/api/v1/holiday-sets/' + set_id,
                           body=body)

    def anpd_due(self, iid):
        r = self.fx.as_('handler', 'GET',
                        '/api/v1/incidents/%d/obligations' % iid)
        self.assertStatus(r, 200)
        due = [o['due_at'] for o in r[2]['items']
               if (o['regime_id'], o['phase']) == (ANPD, 'notification')]
        self.assertEqual(len(due), 1)
        return parse_ts(due[0])

    def audit(self, action):
        db = sqlite3.connect(self.fx.db)
        try:
            rows = db.execute('SELECT actor, data FROM events WHERE '
                              'action = ? ORDER BY id', (action,)).fetchall()
        finally:
            db.close()
        return [(a, json.loads(d)) for a, d in rows]

    def test_list(self):
        r = self.fx.as_('reporter', 'GET', '/api/v1/holiday-sets')
        self.assertStatus(r, 200)
        items = r[2]['items']
        self.assertEqual([s['id'] for s in items], SETS)
        for s in items:
            self.assertEqual(set(s), SUMMARY_KEYS)
            full = self.get_set(s['id'])
            dates = [d['date'] for d in full['dates']]
            self.assertEqual(s['count'], len(dates))
            self.assertEqual(dates, sorted(dates))
            self.assertEqual(len(set(dates)), len(dates))
            if dates:
                self.assertEqual((s['first_date'], s['last_date']),
                                 (dates[0], dates[-1]))
            full.pop('dates')
            self.assertEqual(full, s)

    def test_get(self):
        s = self.get_set('gb-sct')
        self.assertEqual(s['name'], 'Scotland bank holidays')
        self.assertIn({'date': '2026-11-30', 'title': 'St Andrew’s Day'},
                      s['dates'])
        for bad in ('gb-xx', 'nope', 'gb_eaw'):
            with self.subTest(bad):
                r = self.fx.as_('viewer', 'GET',
                                '/api/v1/holiday-sets/' + bad)
                self.assertProblem(r, 404, 'not-found')
        r = self.fx.as_('viewer', 'GET', '/api/v1/holiday-sets/GB-EAW')
        self.assertProblem(r, 404, 'not-found')

    def test_put_govuk_division(self):
        before = self.get_set('gb-ni')
        events = [{'title': 'Christmas Day', 'date': '2030-12-25',
                   'notes': '', 'bunting': True},
                  {'title': 'New Year’s Day', 'date': '2030-01-01',
                   'notes': 'Substitute day', 'bunting': True}]
        r = self.put('gb-ni', {'division': 'northern-ireland',
                               'events': events})
        self.assertStatus(r, 200)
        s = r[2]
        self.assertEqual(s['dates'], [
            {'date': '2030-01-01', 'title': 'New Year’s Day'},
            {'date': '2030-12-25', 'title': 'Christmas Day'}])
        self.assertEqual((s['count'], s['first_date'], s['last_date']),
                         (2, '2030-01-01', '2030-12-25'))
        self.assertEqual(s['name'], before['name'])
        self.assertIn('GOV.UK', s['source'])
        self.assertEqual(self.get_set('gb-ni'), s)
        ev = [d for _, d in self.audit('holidays.replaced')
              if d['set_id'] == 'gb-ni']
        self.assertEqual(len(ev), 1)
        self.assertEqual((ev[0]['dates_before'], ev[0]['dates']),
                         (before['count'], 2))
        # the division must be this set's
        r = self.put('gb-eaw', {'division': 'scotland', 'events': events})
        self.assertProblem(r, 400, 'invalid-field', field='division')
        r = self.put('br', {'division': 'england-and-wales',
                            'events': events})
        self.assertProblem(r, 400, 'invalid-field', field='division')

    def test_put_dates_moves_business_day_deadlines(self):
        # LGPD: 3 business days (Brazil's holidays) after awareness on
        # Monday 2026-06-01: Tue, Wed, Thu -> end of Thu in Sao Paulo.
        inc = self.create(title='brazil', jurisdictions=['BR'],
                          discovered_at='2026-06-01T11:00:00Z',
                          aware_at='2026-06-01T12:00:00Z')
        due0 = self.anpd_due(inc['id'])
        self.assertEqual(due0, parse_ts('2026-06-05T02:59:59Z'))
        cur = self.get_set('br')
        dates = cur['dates'] + [{'date': '2026-06-03', 'title': 'Test day'}]
        r = self.put('br', {'name': 'Brazil (test)', 'source': 'a test',
                            'dates': dates})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['name'], 'Brazil (test)')
        self.assertEqual(r[2]['source'], 'a test')
        self.assertEqual(r[2]['count'], cur['count'] + 1)
        due1 = self.anpd_due(inc['id'])
        self.assertEqual(due1 - due0, datetime.timedelta(days=1))
        ev = [d for a, d in self.audit('holidays.replaced')
              if d['set_id'] == 'br']
        self.assertEqual(len(ev), 1)
        self.assertGreaterEqual(ev[0]['incidents_recomputed'], 1)
        self.assertEqual(ev[0]['name'], 'Brazil (test)')
        # the move is on the incident's timeline too
        acts = [e['action'] for e in self.events(inc['id'])]
        self.assertIn('obligation.updated', acts)
        # back as it was: the deadline returns
        r = self.put('br', {'dates': cur['dates']})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['name'], 'Brazil (test)')
        self.assertEqual(r[2]['count'], cur['count'])
        self.assertEqual(self.anpd_due(inc['id']), due0)
        r = self.fx.as_('admin', 'GET', '/api/v1/audit/verify')
        self.assertTrue(r[2]['ok'])

    def test_put_validation(self):
        before = self.get_set('us')
        ok = {'date': '2031-01-01', 'title': 'x'}
        many = [{'date': (datetime.date(2030, 1, 1) +
                          datetime.timedelta(days=i)).isoformat(),
                 'title': 'd'} for i in range(1001)]
        cases = [
            ({}, 'dates'),
            ({'name': 'x'}, 'dates'),
            ({'dates': None}, 'dates'),
            ({'dates': {}}, 'dates'),
            ({'dates': [ok, {'date': '2031-02-30', 'title': 'x'}]}, 'dates'),
            ({'dates': [{'date': '31-01-01', 'title': 'x'}]}, 'dates'),
            ({'dates': [{'date': '1969-12-31', 'title': 'x'}]}, 'dates'),
            ({'dates': [{'date': 20310101, 'title': 'x'}]}, 'dates'),
            ({'dates': [{'date': '2031-01-02'}]}, 'dates'),
            ({'dates': [{'date': '2031-01-02', 'title': ''}]}, 'dates'),
            ({'dates': [{'date': '2031-01-02', 'title': 'x' * 201}]},
             'dates'),
            ({'dates': [ok, dict(ok)]}, 'dates'),
            ({'dates': [dict(ok, bunting=True)]}, 'dates'),
            ({'dates': ['2031-01-01']}, 'dates'),
            ({'dates': many}, 'dates'),
            ({'dates': [ok], 'name': ''}, 'name'),
            ({'dates': [ok], 'name': 7}, 'name'),
            ({'dates': [ok], 'source': ''}, 'source'),
            ({'dates': [ok], 'events': []}, 'events'),
            ({'division': 'wales', 'events': []}, 'division'),
            ({'division': 5, 'events': []}, 'division'),
            ({'division': 'england-and-wales'}, 'events'),
            ({'division': 'england-and-wales', 'events': [
                {'date': '2031-01-01', 'title': 'x', 'bunting': 'y'}]},
             'events'),
            ({'division': 'england-and-wales', 'events': [], 'name': 'x'},
             'name'),
        ]
        for body, field in cases:
            with self.subTest(json.dumps(body)[:80]):
                set_id = 'gb-eaw' if 'division' in body else 'us'
                self.assertProblem(self.put(set_id, body), 400,
                                   'invalid-field', field=field)
        r = self.put('us', {'dates': [ok, {'date': '2031-02-30',
                                           'title': 'x'}]})
        self.assertIn('dates[1]', r[2]['detail'])
        r = self.put('us', {'dates': [ok, dict(ok)]})
        self.assertIn('repeats dates[0]', r[2]['detail'])
        self.assertEqual(self.get_set('us'), before)
        self.assertProblem(self.put('gb-xx', {'dates': [ok]}), 404,
                           'not-found')
        # a thousand dates is the limit, and empty is allowed
        r = self.put('us', {'dates': many[:1000]})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['count'], 1000)
        r = self.put('us', {'dates': []})
        self.assertStatus(r, 200)
        self.assertEqual((r[2]['count'], r[2]['first_date'],
                          r[2]['last_date'], r[2]['dates']),
                         (0, None, None, []))
        r = self.put('us', {'dates': before['dates']})
        self.assertStatus(r, 200)

    def test_roles(self):
        for role in sorted(ROLES - {'notifier'}):
            with self.subTest('GET as ' + role):
                self.assertStatus(self.fx.as_(role, 'GET',
                                              '/api/v1/holiday-sets'), 200)
                self.get_set('gb-eaw', user=role)
        for path in ('/api/v1/holiday-sets', '/api/v1/holiday-sets/gb-eaw'):
            with self.subTest('GET %s as notifier' % path):
                self.assertProblem(self.fx.as_('notifier', 'GET', path), 403,
                                   'forbidden')
        body = {'dates': [{'date': '2031-01-01', 'title': 'x'}]}
        for role in sorted(ROLES - {'admin'}):
            with self.subTest('PUT as ' + role):
                self.assertProblem(self.put('us', body, user=role), 403,
                                   'forbidden')
        self.assertProblem(self.fx.request('GET', '/api/v1/holiday-sets'),
                           401, 'unauthorized')


if __name__ == '__main__':
    harness.main()
