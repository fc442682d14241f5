"""GET /api/v1/obligations: obligations across incidents, soonest deadline
first (the dashboard): filters, keyset pagination, sorting, validation and
roles."""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, parse_ts, ts  # noqa: E402

ICO = 'uk_gdpr_art33_ico'
ART34 = 'uk_gdpr_art34_individuals'
PROC = 'uk_gdpr_art33_2_processor'
OBL_KEYS = {'id', 'incident_id', 'regime_id', 'regime_name', 'legal_source',
            'citation_url', 'phase', 'phase_name', 'target', 'recipient',
            'clock_start', 'starts_at', 'due_at', 'state', 'met_at',
            'reference', 'delay_reason', 'waive_reason', 'basis',
            'notifications', 'incident'}
SUMMARY_KEYS = {'id', 'ref', 'title', 'status', 'risk', 'assignee'}
PATH = '/api/v1/obligations'


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class Due(harness.ApiCase):

    @classmethod
    def setUpClass(cls):
        c = cls()
        t = now()
        # soon: ICO due in 62 h; late: ICO due 8 h ago (missed);
        # mine: assigned to the handler; shut: closed; safe: decided
        # 'unlikely' (not required); sent: ICO met by a notification.
        cls.soon = c.create(title='due soon', aware_at=ts(t - 10 * HOUR),
                            discovered_at=ts(t - 11 * HOUR))
        cls.late = c.create(title='overdue', aware_at=ts(t - 80 * HOUR),
                            discovered_at=ts(t - 81 * HOUR))
        cls.mine = c.create(title='mine', aware_at=ts(t - 30 * HOUR),
                            discovered_at=ts(t - 31 * HOUR),
                            assignee='handler')
        cls.shut = c.create(title='closed one', aware_at=ts(t - 20 * HOUR),
                            discovered_at=ts(t - 21 * HOUR))
        c.walk(cls.shut['id'], 'investigating', 'confirmed')
        c.decide(cls.shut['id'], 'risk')
        c.walk(cls.shut['id'], 'contained', 'closed')
        cls.safe = c.create(title='unlikely one', aware_at=ts(t - 5 * HOUR),
                            discovered_at=ts(t - 6 * HOUR))
        c.decide(cls.safe['id'], 'unlikely')
        cls.sent = c.create(title='notified', aware_at=ts(t - 3 * HOUR),
                            discovered_at=ts(t - 4 * HOUR))
        oid = c.obligations(cls.sent['id'])[ICO]['id']
        r = c.fx.as_('handler', 'POST',
                     '/api/v1/incidents/%d/obligations/%d/notifications'
                     % (cls.sent['id'], oid),
                     body={'sent_at': ts(t - HOUR), 'reference': 'ICO-1'})
        c.assertStatus(r, 201, 'notification')
        # One open incident in each of the other open statuses, their
        # deadlines between the suspected ones' (the default dashboard
        # merges the statuses by deadline).
        cls.inv = c.create(title='investigating one',
                           aware_at=ts(t - 40 * HOUR),
                           discovered_at=ts(t - 41 * HOUR))
        c.walk(cls.inv['id'], 'investigating')
        cls.conf = c.create(title='confirmed one', aware_at=ts(t - 50 * HOUR),
                            discovered_at=ts(t - 51 * HOUR))
        c.walk(cls.conf['id'], 'investigating', 'confirmed')
        cls.cont = c.create(title='contained one', aware_at=ts(t - 15 * HOUR),
                            discovered_at=ts(t - 16 * HOUR))
        c.walk(cls.cont['id'], 'investigating', 'confirmed')
        c.decide(cls.cont['id'], 'risk')
        c.walk(cls.cont['id'], 'contained')
        st, _, users = c.fx.as_('admin', 'GET', '/api/v1/users')
        cls.uid = {u['name']: u['id'] for u in users['items']}

    def due(self, query='', user='handler'):
        r = self.fx.as_(user, 'GET', PATH + query)
        self.assertStatus(r, 200, query)
        return r[2]

    def all_items(self, query='', limit=200):
        """Every item of a filter, following next_cursor."""
        sep = '&' if query else '?'
        q = query + sep + 'limit=%d' % limit
        out, pages = [], 0
        while True:
            page = self.due(q)
            pages += 1
            self.assertLessEqual(len(page['items']), limit)
            out += page['items']
            if page['next_cursor'] is None:
                return out, pages
            self.assertEqual(len(page['items']), limit)
            q = query + sep + 'limit=%d&cursor=%s' % (limit,
                                                       page['next_cursor'])

    def incidents_of(self, items):
        return {o['incident_id'] for o in items}

    def assertSorted(self, items):
        keys = [(parse_ts(o['due_at']), o['id']) for o in items]
        self.assertEqual(keys, sorted(keys))
        self.assertEqual(len({o['id'] for o in items}), len(items))

    def test_default_is_pending_of_open_incidents_soonest_first(self):
        items, _ = self.all_items()
        self.assertSorted(items)
        ids = self.incidents_of(items)
        for inc in (self.soon, self.late, self.mine):
            self.assertIn(inc['id'], ids)
        for inc in (self.shut, self.safe, self.sent):
            self.assertNotIn(inc['id'], ids)
        t = now()
        for o in items:
            self.assertEqual(set(o), OBL_KEYS)
            self.assertEqual(set(o['incident']), SUMMARY_KEYS)
            self.assertEqual(o['incident']['id'], o['incident_id'])
            self.assertNotIn(o['incident']['status'],
                             ('closed', 'not_a_breach'))
            self.assertEqual(o['state'], 'missed'
                             if parse_ts(o['due_at']) < t else 'pending')
        # the overdue one comes before the one due later
        pos = {o['incident_id']: i for i, o in enumerate(items)
               if o['regime_id'] == ICO}
        self.assertLess(pos[self.late['id']], pos[self.mine['id']])
        self.assertLess(pos[self.mine['id']], pos[self.soon['id']])

    def test_items_match_the_incident_obligation(self):
        items, _ = self.all_items()
        o = [x for x in items if x['incident_id'] == self.mine['id'] and
             x['regime_id'] == ICO][0]
        want = self.obligations(self.mine['id'])[ICO]
        inc = o.pop('incident')
        self.assertEqual(o, want)
        self.assertEqual(inc, {'id': self.mine['id'],
                               'ref': self.mine['ref'], 'title': 'mine',
                               'status': 'suspected', 'risk': None,
                               'assignee': 'handler'})

    def test_pagination(self):
        every, pages = self.all_items()
        self.assertEqual(pages, 1)
        one, pages = self.all_items(limit=1)
        self.assertEqual(pages, len(every))
        self.assertEqual([o['id'] for o in one], [o['id'] for o in every])
        two, _ = self.all_items(limit=2)
        self.assertEqual([o['id'] for o in two], [o['id'] for o in every])
        page = self.due('?limit=1')
        self.assertEqual(len(page['items']), 1)
        self.assertIsInstance(page['next_cursor'], str)
        # a filter keeps its cursor meaning: missed only, one by one
        missed, _ = self.all_items('?state=missed', limit=1)
        self.assertEqual([o['id'] for o in missed],
                         [o['id'] for o in every if o['state'] == 'missed'])

    def test_state_filters(self):
        missed, _ = self.all_items('?state=missed')
        self.assertTrue(missed)
        self.assertIn(self.late['id'], self.incidents_of(missed))
        self.assertNotIn(self.soon['id'], self.incidents_of(missed))
        for o in missed:
            self.assertEqual(o['state'], 'missed')
        met, _ = self.all_items('?state=met')
        self.assertEqual(self.incidents_of(met), {self.sent['id']})
        self.assertEqual(met[0]['regime_id'], ICO)
        self.assertEqual(len(met[0]['notifications']), 1)
        self.assertEqual(met[0]['reference'], 'ICO-1')
        nr, _ = self.all_items('?state=not_required')
        self.assertIn(self.safe['id'], self.incidents_of(nr))
        for o in nr:
            self.assertEqual(o['state'], 'not_required')
        self.assertEqual(self.due('?state=waived')['items'], [])

    def test_status_filter(self):
        closed, _ = self.all_items('?status=closed')
        self.assertEqual(self.incidents_of(closed), {self.shut['id']})
        for o in closed:
            self.assertEqual(o['incident']['status'], 'closed')
        sus, _ = self.all_items('?status=suspected')
        self.assertIn(self.soon['id'], self.incidents_of(sus))
        for o in sus:
            self.assertEqual(o['incident']['status'], 'suspected')

    def test_open_statuses_merge_by_deadline(self):
        # The default dashboard is the open statuses' obligations merged
        # by deadline: each status is one walk of an index (migration
        # 017), and the pages of the merge follow one another.
        for state in ('', '?state=met', '?state=not_required'):
            every, _ = self.all_items(state)
            self.assertSorted(every)
            merged = []
            for status in ('suspected', 'investigating', 'confirmed',
                           'contained'):
                sep = '&' if state else '?'
                part, _ = self.all_items(state + sep + 'status=' + status)
                for o in part:
                    self.assertEqual(o['incident']['status'], status)
                merged += part
            merged.sort(key=lambda o: (parse_ts(o['due_at']), o['id']))
            self.assertEqual(merged, every, state)
            one, _ = self.all_items(state, limit=1)
            self.assertEqual(one, every, state)
        every, _ = self.all_items()
        statuses = [o['incident']['status'] for o in every]
        self.assertEqual(set(statuses), {'suspected', 'investigating',
                                         'confirmed', 'contained'})
        # interleaved, not one status after another
        runs = sum(1 for a, b in zip(statuses, statuses[1:]) if a != b)
        self.assertGreater(runs, 3, statuses)

    def test_incident_filters_agree_with_the_whole_list(self):
        # A risk or assignee filter starts from those incidents when they
        # are few, a status filter walks that status: each must answer
        # what filtering the whole list would, page after page.
        risks = {'none': None, 'unlikely': 'unlikely', 'risk': 'risk',
                 'high': 'high'}
        for state in ('pending', 'met', 'not_required'):
            every, _ = self.all_items('?state=' + state)
            for status in ('', 'suspected', 'contained', 'closed'):
                pool = every
                if status:
                    pool, _ = self.all_items('?state=%s&status=%s' % (
                        state, status))
                for name, risk in risks.items():
                    query = '?state=%s&risk=%s' % (state, name)
                    query += '&status=' + status if status else ''
                    want = [o for o in pool if o['incident']['risk'] == risk]
                    for limit in (200, 1):
                        got, _ = self.all_items(query, limit=limit)
                        self.assertEqual(got, want, query)
                for who in ('none', 'handler'):
                    query = '?state=%s&assignee=%s' % (state, who)
                    query += '&status=' + status if status else ''
                    want = [o for o in pool if o['incident']['assignee'] ==
                            (None if who == 'none' else who)]
                    self.assertEqual(self.all_items(query)[0], want, query)

    def test_regime_filter_agrees_with_the_whole_list(self):
        # A regime filter walks that regime's obligations of each wanted
        # status by deadline (migration 018), alone or beside a risk
        # filter: page after page, what filtering the whole list would.
        regimes = (ICO, ART34, PROC)
        for state in ('pending', 'met', 'not_required'):
            for status in ('', 'suspected', 'contained', 'closed'):
                base = '?state=' + state
                base += '&status=' + status if status else ''
                pool, _ = self.all_items(base)
                for regime in regimes:
                    for risk in ('', 'none'):
                        query = base + '&regime_id=' + regime
                        query += '&risk=' + risk if risk else ''
                        want = [o for o in pool if o['regime_id'] ==
                                regime and (not risk or
                                            o['incident']['risk'] is None)]
                        for limit in (200, 1):
                            got, _ = self.all_items(query, limit=limit)
                            self.assertEqual(got, want, query)
        # not vacuous: the regimes are found in more than one status and
        # state
        seen = set()
        for state in ('pending', 'met', 'not_required'):
            items, _ = self.all_items('?state=%s&regime_id=%s' % (state, ICO))
            seen |= {(state, o['incident']['status']) for o in items}
        self.assertGreaterEqual(len(seen), 3, seen)

    def test_status_change_moves_the_obligations(self):
        t = now()
        inc = self.create(title='moving', aware_at=ts(t - HOUR),
                          discovered_at=ts(t - 2 * HOUR))
        mine = set(self.obligations(inc['id']))

        def regimes(status, state='pending'):
            items, _ = self.all_items('?state=%s&status=%s' % (state,
                                                              status))
            return {o['regime_id'] for o in items
                    if o['incident_id'] == inc['id']}
        self.assertEqual(regimes('suspected'), mine)
        self.walk(inc['id'], 'investigating')
        self.assertEqual(regimes('suspected'), set())
        self.assertEqual(regimes('investigating'), mine)
        self.patch(inc['id'], {'status': 'not_a_breach',
                               'not_a_breach_reason': 'a test drill'})
        # its obligations are no longer required, and show as such
        self.assertEqual(regimes('not_a_breach', 'not_required'), mine)
        self.assertEqual(regimes('investigating'), set())
        items, _ = self.all_items()
        self.assertNotIn(inc['id'], self.incidents_of(items))

    def test_every_obligation_carries_its_incident_status(self):
        # What the status filters walk (migration 017): kept by triggers,
        # also for an obligation written by something other than the
        # server.
        t = now()
        u = int(t.timestamp())
        inc = self.create(title='written behind', aware_at=ts(t - HOUR),
                          discovered_at=ts(t - 2 * HOUR))
        self.walk(inc['id'], 'investigating')
        con = sqlite3.connect(self.fx.db)
        try:
            with con:
                con.execute(
                    "INSERT INTO obligations (incident_id, regime_id, "
                    "phase, phase_name, recipient, starts_at, due_at, "
                    "state, basis, created_at, updated_at) VALUES (?, "
                    "'uk_pecr_reg5a_ico', 'notification', 'Notification', "
                    "'ICO', ?, ?, 'pending', 'by hand', ?, ?)",
                    (inc['id'], u, u + 86400, u, u))
            wrong = con.execute(
                "SELECT o.id, o.incident_status, i.status FROM obligations "
                "o JOIN incidents i ON i.id = o.incident_id "
                "WHERE o.incident_status IS NOT i.status "
                "OR o.incident_risk IS NOT i.risk "
                "OR o.incident_assignee IS NOT i.assignee_id").fetchall()
            n = con.execute("SELECT count(*) FROM obligations").fetchone()
        finally:
            con.close()
        self.assertEqual(wrong, [])
        self.assertGreater(n[0], 10)
        items, _ = self.all_items('?status=investigating')
        self.assertIn('uk_pecr_reg5a_ico', {
            o['regime_id'] for o in items if o['incident_id'] == inc['id']})

    def test_risk_and_assignee_changes_move_the_obligations(self):
        # What the risk and assignee filters read (migration 019): each
        # obligation's copy of its incident's, kept by triggers.
        t = now()
        iid = self.create(title='reassigned', aware_at=ts(t - HOUR),
                          discovered_at=ts(t - 2 * HOUR))['id']
        dpo = 'assignee=%d' % self.uid['dpo']

        def found(query):
            items, _ = self.all_items(query)
            return iid in self.incidents_of(items)
        self.assertTrue(found('?assignee=none&risk=none'))
        self.patch(iid, {'assignee': 'dpo'})
        self.assertFalse(found('?assignee=none'))
        self.assertTrue(found('?' + dpo))
        self.decide(iid, 'high')
        self.assertFalse(found('?risk=none'))
        self.assertTrue(found('?risk=high&' + dpo))
        self.patch(iid, {'assignee': None})
        self.assertTrue(found('?assignee=none&risk=high'))
        self.assertFalse(found('?' + dpo))

    def test_assignee_filter(self):
        h = self.uid['handler']
        for q in ('me', str(h), 'handler'):
            with self.subTest(q):
                items, _ = self.all_items('?assignee=' + q)
                self.assertEqual(self.incidents_of(items), {self.mine['id']})
        # 'me' is the caller: the DPO has nothing assigned
        r = self.fx.as_('dpo', 'GET', PATH + '?assignee=me')
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['items'], [])
        none, _ = self.all_items('?assignee=none')
        self.assertNotIn(self.mine['id'], self.incidents_of(none))
        self.assertIn(self.soon['id'], self.incidents_of(none))
        for q in ('nobody', '999999'):
            with self.subTest(q):
                self.assertEqual(self.due('?assignee=' + q),
                                 {'items': [], 'next_cursor': None})

    def test_risk_and_regime_filters(self):
        items, _ = self.all_items('?state=not_required&risk=unlikely')
        self.assertEqual(self.incidents_of(items), {self.safe['id']})
        items, _ = self.all_items('?risk=none')
        self.assertNotIn(self.safe['id'], self.incidents_of(items))
        for o in items:
            self.assertIsNone(o['incident']['risk'])
        items, _ = self.all_items('?regime_id=' + ICO)
        self.assertTrue(items)
        self.assertEqual({o['regime_id'] for o in items}, {ICO})
        self.assertEqual(self.due('?regime_id=no_such_regime')['items'], [])

    def test_due_before(self):
        cut = now() + 50 * HOUR
        items, _ = self.all_items('?due_before=' + ts(cut))
        self.assertIn(self.mine['id'], self.incidents_of(items))
        self.assertNotIn(self.soon['id'], self.incidents_of(items))
        for o in items:
            self.assertLess(parse_ts(o['due_at']), cut)

    def test_validation(self):
        bad = [('state', 'missing'), ('state', 'PENDING'),
               ('status', 'open'), ('risk', 'low'),
               ('regime_id', 'UK-GDPR'), ('assignee', 'Not%20A%20Name'),
               ('assignee', '0'), ('assignee', '12ab'),
               ('due_before', '2026-01-01'), ('due_before', 'yesterday'),
               ('limit', '0'), ('limit', '201'), ('limit', 'x'),
               ('cursor', 'abc'), ('cursor', 'AAAAAAAAAAAAAAAAAAAAAA'),
               ('q', 'x')]
        for name, value in bad:
            with self.subTest(name + '=' + value):
                r = self.fx.as_('handler', 'GET',
                                PATH + '?%s=%s' % (name, value))
                self.assertProblem(r, 400, 'invalid-query', field=name)
        r = self.fx.as_('handler', 'GET', PATH + '?state=met&state=met')
        self.assertProblem(r, 400, 'invalid-query', field='state')

    def test_roles(self):
        for user in ('handler', 'dpo', 'viewer'):
            with self.subTest(user):
                self.assertStatus(self.fx.as_(user, 'GET', PATH), 200)
        for user in ('reporter', 'admin', 'notifier'):
            with self.subTest(user):
                self.assertProblem(self.fx.as_(user, 'GET', PATH), 403,
                                   'forbidden')
        self.assertProblem(self.fx.request('GET', PATH), 401,
                           'unauthorized')


if __name__ == '__main__':
    harness.main()
