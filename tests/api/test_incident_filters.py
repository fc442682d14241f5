"""GET /api/v1/incidents filters for the dashboard: assignee (id, me, none,
name) and regime_id; what a list row carries; validation; the reporter's
own-incidents rule still applies."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, parse_ts, ts  # noqa: E402

ICO = 'uk_gdpr_art33_ico'
PROC = 'uk_gdpr_art33_2_processor'
PATH = '/api/v1/incidents'


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Filters(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        c = cls()
        t = now()
        cls.to_handler = c.create(title='for the handler',
                                  assignee='handler',
                                  aware_at=ts(t - 10 * HOUR),
                                  discovered_at=ts(t - 11 * HOUR))
        cls.to_dpo = c.create(title='for the dpo', assignee='dpo')
        cls.nobody = c.create(title='unassigned')
        cls.processor = c.create(title='as processor', role='processor',
                                 controller_name='Acme Ltd',
                                 discovered_at=ts(t - 3 * HOUR))
        cls.by_reporter = c.create(user='reporter', title='reported')
        cls.nis2 = c.create(title='essential entity', jurisdictions=['DE'],
                            sector_flags=['nis2_entity'],
                            cyber_incident='yes',
                            aware_at=ts(t - 2 * HOUR),
                            discovered_at=ts(t - 3 * HOUR))
        st, _, users = c.fx.as_('admin', 'GET', '/api/v1/users')
        cls.uid = {u['name']: u['id'] for u in users['items']}

    def ids(self, query, user='handler', limit=200):
        """Incident ids of every page of a filtered list."""
        base = (query + '&' if query else '?') + 'limit=%d' % limit
        out, q = [], base
        while True:
            r = self.fx.as_(user, 'GET', PATH + q)
            self.assertStatus(r, 200, q)
            self.assertLessEqual(len(r[2]['items']), limit)
            out += [i['id'] for i in r[2]['items']]
            if r[2]['next_cursor'] is None:
                return out
            q = base + '&cursor=' + r[2]['next_cursor']

    def test_assignee(self):
        h, d = self.uid['handler'], self.uid['dpo']
        self.assertEqual(self.ids('?assignee=me'), [self.to_handler['id']])
        self.assertEqual(self.ids('?assignee=me', user='dpo'),
                         [self.to_dpo['id']])
        self.assertEqual(self.ids('?assignee=%d' % h),
                         [self.to_handler['id']])
        self.assertEqual(self.ids('?assignee=dpo'), [self.to_dpo['id']])
        self.assertEqual(self.ids('?assignee=%d' % d), [self.to_dpo['id']])
        none = self.ids('?assignee=none')
        self.assertIn(self.nobody['id'], none)
        self.assertIn(self.processor['id'], none)
        self.assertNotIn(self.to_handler['id'], none)
        self.assertNotIn(self.to_dpo['id'], none)
        self.assertEqual(none, sorted(none, reverse=True))
        self.assertEqual(self.ids('?assignee=nobody'), [])
        self.assertEqual(self.ids('?assignee=987654'), [])

    def test_assignee_with_status_and_risk(self):
        # Each combination against the whole list filtered here: the
        # store walks the assignee's incidents (migration 016), with or
        # without a status, and pages through them with the cursor.
        every = []
        q = '?limit=200'
        while q is not None:
            r = self.fx.as_('handler', 'GET', PATH + q)
            self.assertStatus(r, 200, q)
            every += r[2]['items']
            q = ('?limit=200&cursor=' + r[2]['next_cursor']
                 if r[2]['next_cursor'] else None)
        who = {'me': 'handler', 'dpo': 'dpo', 'none': None}
        for a in who:
            for status in (None, 'suspected', 'closed'):
                for risk in (None, 'none'):
                    query = '?assignee=' + a
                    query += '&status=' + status if status else ''
                    query += '&risk=' + risk if risk else ''
                    want = [i['id'] for i in every
                            if i['assignee'] == who[a] and
                            (status is None or i['status'] == status) and
                            (risk is None or i['risk'] is None)]
                    self.assertEqual(self.ids(query), want, query)
                    self.assertEqual(self.ids(query, limit=1), want, query)
        self.assertTrue(any(i['assignee'] is None and
                            i['status'] == 'suspected' for i in every))

    def test_regime(self):
        ico = self.ids('?regime_id=' + ICO)
        self.assertIn(self.to_handler['id'], ico)
        self.assertNotIn(self.nobody['id'], ico)
        self.assertEqual(self.ids('?regime_id=' + PROC),
                         [self.processor['id']])
        self.assertEqual(self.ids('?regime_id=no_such_regime'), [])
        # combined with another filter
        self.assertEqual(self.ids('?regime_id=%s&assignee=me' % ICO),
                         [self.to_handler['id']])
        self.assertEqual(self.ids('?regime_id=%s&assignee=dpo' % ICO), [])

    def test_regime_with_other_filters(self):
        # Against the whole list filtered here: the store walks the
        # regime's obligations newest incident first (migration 017),
        # one row per incident however many of its obligations are of
        # that regime, and pages through them with the cursor.
        every = self.ids('')
        regimes = {}
        for i in every:
            r = self.fx.as_('handler', 'GET',
                            PATH + '/%d/obligations' % i)
            self.assertStatus(r, 200)
            regimes[i] = [o['regime_id'] for o in r[2]['items']]
        # an incident with two obligations (phases) of one regime
        phased = regimes[self.nis2['id']]
        twice = {g for g in phased if phased.count(g) > 1}
        self.assertTrue(twice, phased)
        for regime in (ICO, PROC) + tuple(twice):
            # With an assignee or a risk the store walks the smaller
            # of the two sets, reading both from the index (migration
            # 019); either way the same answer.
            for extra in ('', '&status=suspected', '&assignee=none',
                          '&risk=none', '&status=suspected&risk=none',
                          '&assignee=handler', '&risk=none&assignee=none',
                          '&status=suspected&assignee=none'):
                query = '?regime_id=' + regime + extra
                want = [i for i in self.ids(extra.replace('&', '?', 1))
                        if regime in regimes.get(i, ())]
                self.assertEqual(self.ids(query), want, query)
                self.assertEqual(self.ids(query, limit=1), want, query)

    def test_pagination_with_a_filter(self):
        every = self.ids('?assignee=none')
        self.assertGreaterEqual(len(every), 3)
        self.assertEqual(self.ids('?assignee=none', limit=1), every)
        self.assertEqual(self.ids('?assignee=none', limit=2), every)

    def test_row_carries_what_a_dashboard_needs(self):
        r = self.fx.as_('handler', 'GET', PATH + '?assignee=me')
        self.assertStatus(r, 200)
        row = r[2]['items'][0]
        self.assertEqual(row['assignee'], 'handler')
        self.assertEqual(row['status'], 'suspected')
        self.assertIsNone(row['risk'])
        obl = self.obligations(self.to_handler['id'])
        pending = [parse_ts(o['due_at']) for o in obl.values()
                   if o['state'] in ('pending', 'missed')]
        self.assertEqual(parse_ts(row['next_due_at']), min(pending))

    def test_reporter_sees_only_their_own(self):
        mine = self.ids('?assignee=none', user='reporter')
        self.assertEqual(mine, [self.by_reporter['id']])
        self.assertEqual(self.ids('?assignee=me', user='reporter'), [])
        self.assertEqual(self.ids('?regime_id=' + PROC, user='reporter'),
                         [])

    def test_validation(self):
        bad = [('assignee', 'Bad%20Name'), ('assignee', '0'),
               ('assignee', '01'), ('assignee', '7x'),
               ('regime_id', 'Bad-Regime'), ('regime_id', ''),
               ('regime_id', 'x' * 65)]
        for name, value in bad:
            with self.subTest(name + '=' + value):
                r = self.fx.as_('handler', 'GET',
                                PATH + '?%s=%s' % (name, value))
                self.assertProblem(r, 400, 'invalid-query', field=name)

    def test_roles(self):
        for user in ('reporter', 'handler', 'dpo', 'viewer'):
            with self.subTest(user):
                self.assertStatus(self.fx.as_(user, 'GET',
                                              PATH + '?assignee=none'), 200)
        for user in ('admin', 'notifier'):
            with self.subTest(user):
                self.assertProblem(self.fx.as_(user, 'GET',
                                               PATH + '?assignee=none'),
                                   403, 'forbidden')


if __name__ == '__main__':
    harness.main()
