"""Rules that hold for as long as an incident is in a state, not only on the
way in: what a status requires, determinations not in the future, and who
may be made assignee (checked when the assignee is set, not on every PATCH).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, MINUTE, now, ts  # noqa: E402

ICO = 'uk_gdpr_art33_ico'


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class StatusRulesStay(harness.ApiCase):
    """A PATCH that keeps the status must not undo what the status needs."""

    def confirmed(self, status='confirmed', **fields):
        body = dict(jurisdictions=['GB'],
                    discovered_at=ts(now() - 2 * HOUR),
                    aware_at=ts(now() - HOUR))
        body.update(fields)
        a = self.create(**body)
        path = {'confirmed': ['investigating', 'confirmed'],
                'contained': ['investigating', 'confirmed', 'contained'],
                'closed': ['investigating', 'confirmed', 'contained',
                           'closed']}[status]
        self.walk(a['id'], *path)
        return self.get(a['id'])

    def refused(self, iid, body, field):
        """body is a 422 naming field, and nothing changed."""
        before = self.get(iid)
        obl = self.obligations(iid)
        r = self.patch(iid, body, expect=None)
        self.assertProblem(r, 422, 'constraint-violation', field,
                           msg='patch %r' % (body,))
        self.assertEqual(self.get(iid), before, 'a refused PATCH changed it')
        self.assertEqual(self.obligations(iid), obl)

    def test_aware_at_stays_while_confirmed_contained_closed(self):
        for status in ('confirmed', 'contained', 'closed'):
            with self.subTest(status):
                a = self.confirmed(status)
                self.assertNotEqual(
                    self.obligations(a['id'])[ICO]['state'], 'not_required')
                self.refused(a['id'], {'aware_at': None}, 'aware_at')
                self.assertIsNotNone(self.get(a['id'])['aware_at'])
                self.assertNotEqual(
                    self.obligations(a['id'])[ICO]['state'], 'not_required')

    def test_justification_stays_when_the_gap_is_long(self):
        a = self.confirmed(discovered_at=ts(now() - 30 * HOUR),
                           awareness_justification='found in a log review')
        for v in (None, '', '   ', '\t\n'):
            with self.subTest(repr(v)):
                self.refused(a['id'], {'awareness_justification': v},
                             'awareness_justification')
        # Closing the gap in the same PATCH makes the justification moot.
        r = self.patch(a['id'], {'awareness_justification': None,
                                 'discovered_at': ts(now() - 3 * HOUR)})
        self.assertIsNone(r[2]['awareness_justification'])

    def test_moving_discovery_earlier_needs_a_justification(self):
        a = self.confirmed()
        self.refused(a['id'], {'discovered_at': ts(now() - 48 * HOUR)},
                     'awareness_justification')
        self.refused(a['id'], {'aware_at': ts(now() - MINUTE),
                               'discovered_at': ts(now() - 26 * HOUR)},
                     'awareness_justification')
        r = self.patch(a['id'], {'discovered_at': ts(now() - 48 * HOUR),
                                 'awareness_justification': 'weekend'})
        self.assertEqual(r[2]['status'], 'confirmed')

    def test_not_a_breach_reason_stays(self):
        a = self.create()
        self.walk(a['id'], 'investigating')
        self.patch(a['id'], {'status': 'not_a_breach',
                             'not_a_breach_reason': 'encrypted, key safe'})
        for v in (None, '', '   '):
            with self.subTest(repr(v)):
                self.refused(a['id'], {'not_a_breach_reason': v},
                             'not_a_breach_reason')
        r = self.patch(a['id'], {'not_a_breach_reason': 'key held offline'})
        self.assertEqual(r[2]['not_a_breach_reason'], 'key held offline')

    def test_other_changes_still_allowed(self):
        a = self.confirmed(discovered_at=ts(now() - 30 * HOUR),
                           awareness_justification='found late')
        r = self.patch(a['id'], {'title': 'renamed',
                                 'aware_at': ts(now() - 2 * HOUR)})
        self.assertEqual(r[2]['title'], 'renamed')
        # Before confirmation nothing of this is required.
        b = self.create(aware_at=ts(now() - HOUR))
        self.walk(b['id'], 'investigating')
        r = self.patch(b['id'], {'aware_at': None,
                                 'discovered_at': ts(now() - 50 * HOUR)})
        self.assertIsNone(r[2]['aware_at'])


class DeterminationsNotFuture(harness.ApiCase):

    def body(self, when):
        return {'title': 'x', 'discovered_at': ts(now() - 2 * HOUR),
                'sector_flags': ['sec_registrant'], 'jurisdictions': ['US'],
                'determinations': {'sec_material': when}}

    def test_create_refuses_a_future_determination(self):
        for when in ('2099-01-01T00:00:00Z', ts(now() + 10 * MINUTE)):
            with self.subTest(when):
                r = self.fx.as_('handler', 'POST', '/api/v1/incidents',
                                body=self.body(when))
                self.assertProblem(r, 422, 'constraint-violation',
                                   'determinations.sec_material')
        for when in (ts(now() - HOUR), ts(now() + MINUTE)):
            with self.subTest(when):
                r = self.fx.as_('handler', 'POST', '/api/v1/incidents',
                                body=self.body(when))
                self.assertStatus(r, 201)

    def test_patch_refuses_a_future_determination(self):
        a = self.create(sector_flags=['sec_registrant', 'dora_financial_entity'],
                        jurisdictions=['US', 'DE'])
        r = self.patch(a['id'], {'determinations': {
            'sec_material': ts(now() - HOUR),
            'dora_major': '2099-01-01T00:00:00+01:00'}}, expect=None)
        self.assertProblem(r, 422, 'constraint-violation',
                           'determinations.dora_major')
        self.assertEqual(self.get(a['id'])['determinations'], {})
        r = self.patch(a['id'], {'determinations': {
            'sec_material': ts(now() - HOUR)}})
        self.assertIn('sec_material', r[2]['determinations'])


class AssigneeWhenSet(harness.ApiCase):

    def add_user(self, name, role='handler'):
        r = self.fx.as_('admin', 'POST', '/api/v1/users',
                        body={'name': name, 'role': role})
        self.assertStatus(r, 201, 'add %s' % name)
        return r[2]['id']

    def change_user(self, uid, body):
        r = self.fx.as_('admin', 'PATCH', '/api/v1/users/%d' % uid,
                        body=body)
        self.assertStatus(r, 200, 'user %d %r' % (uid, body))

    def test_demoted_assignee_does_not_block_other_changes(self):
        uid = self.add_user('inv.demoted')
        a = self.create(assignee='inv.demoted')
        self.change_user(uid, {'role': 'viewer'})
        r = self.patch(a['id'], {'title': 'x'})
        self.assertEqual(r[2]['assignee'], 'inv.demoted')
        self.walk(a['id'], 'investigating')
        # Naming the assignee sets it, and then the role is checked.
        r = self.patch(a['id'], {'assignee': 'inv.demoted'}, expect=None)
        self.assertProblem(r, 422, 'constraint-violation', 'assignee')
        r = self.patch(a['id'], {'assignee': 'handler'})
        self.assertEqual(r[2]['assignee'], 'handler')
        r = self.patch(a['id'], {'assignee': 'inv.demoted'}, expect=None)
        self.assertProblem(r, 422, 'constraint-violation', 'assignee')

    def test_disabled_user_cannot_be_made_assignee(self):
        uid = self.add_user('inv.gone', 'dpo')
        self.change_user(uid, {'disabled': True})
        r = self.fx.as_('handler', 'POST', '/api/v1/incidents', body={
            'title': 'x', 'discovered_at': ts(now() - HOUR),
            'assignee': 'inv.gone'})
        self.assertProblem(r, 422, 'constraint-violation', 'assignee')
        a = self.create()
        r = self.patch(a['id'], {'assignee': 'inv.gone'}, expect=None)
        self.assertProblem(r, 422, 'constraint-violation', 'assignee')
        self.assertIsNone(self.get(a['id'])['assignee'])
        self.change_user(uid, {'disabled': False})
        r = self.patch(a['id'], {'assignee': 'inv.gone'})
        self.assertEqual(r[2]['assignee'], 'inv.gone')

    def test_assignee_disabled_later_is_kept(self):
        uid = self.add_user('inv.left')
        a = self.create(assignee='inv.left')
        self.change_user(uid, {'disabled': True})
        r = self.patch(a['id'], {'title': 'still assigned'})
        self.assertEqual(r[2]['assignee'], 'inv.left')
        r = self.patch(a['id'], {'assignee': None})
        self.assertIsNone(r[2]['assignee'])


if __name__ == '__main__':
    harness.main()
