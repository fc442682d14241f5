"""Regimes as data: GET/POST /api/v1/regimes, GET/PATCH
/api/v1/regimes/{regime_id}, POST .../retire; their audit events and the
recompute of open incidents' obligations."""

import copy
import json
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, parse_ts, ts  # noqa: E402

REGIME_KEYS = {'id', 'name', 'jurisdiction', 'legal_source', 'notify',
               'recipient', 'clock_start', 'deadline', 'citation_url', 'rule',
               'status', 'notes', 'retired_at', 'updated_at', 'version'}
SHIPPED = 56
STATUSES = {'verified', 'verified_secondary', 'partially_verified'}
READERS = ('reporter', 'handler', 'dpo', 'viewer', 'admin')
NON_ADMINS = ('reporter', 'handler', 'dpo', 'viewer', 'notifier')

# A jurisdiction no shipped regime names, so a test regime is the only
# one that concerns these incidents (Antarctica, ISO 3166-1 AQ).
PLACE = 'AQ'


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


def rule(hours=10, place=PLACE, **extra):
    r = {'applies': {'jurisdictions': [place]},
         'phases': [{'id': 'notification', 'name': 'Tell the penguins',
                     'start': 'aware_at', 'duration': hours,
                     'unit': 'hours'}]}
    r.update(extra)
    return r


def regime_body(rid, **kw):
    b = {'id': rid, 'name': 'Test regime %s' % rid,
         'jurisdiction': 'Antarctica', 'legal_source': 'Test Act s. 1',
         'notify': 'regulator', 'recipient': 'Antarctic Commissioner',
         'clock_start': 'awareness', 'deadline': 'N hours',
         'citation_url': 'https://example.org/test-act', 'rule': rule()}
    b.update(kw)
    return b


class Regimes(harness.ApiCase):

    # ---- helpers

    def regime(self, rid, user='admin', expect=200):
        r = self.fx.as_(user, 'GET', '/api/v1/regimes/%s' % rid)
        self.assertStatus(r, expect, 'get regime %s' % rid)
        return r[2]

    def patch_regime(self, rid, body, user='admin'):
        """PATCH with the ETag just read; return the response."""
        st, h, _ = self.fx.as_('admin', 'GET', '/api/v1/regimes/%s' % rid)
        self.assertEqual(st, 200)
        return self.fx.as_(user, 'PATCH', '/api/v1/regimes/%s' % rid,
                           body=body, headers={'If-Match': h['etag']})

    def add(self, body, expect=201):
        r = self.fx.as_('admin', 'POST', '/api/v1/regimes', body=body)
        self.assertStatus(r, expect, 'add regime %r' % (body.get('id'),))
        return r

    def audit(self, action=None):
        """The audit events not about an incident (read-only view of the
        database): [(action, data)]."""
        con = sqlite3.connect('file:%s?mode=ro' % self.fx.db, uri=True)
        try:
            rows = con.execute(
                'SELECT action, data FROM events WHERE incident_id IS NULL '
                'OR incident_id = 0 ORDER BY id').fetchall()
        finally:
            con.close()
        return [(a, json.loads(d)) for a, d in rows
                if action is None or a == action]

    def obl(self, iid, regime_id, phase='notification'):
        r = self.fx.as_('handler', 'GET', '/api/v1/incidents/%d/obligations'
                        % iid)
        self.assertStatus(r, 200)
        got = [o for o in r[2]['items'] if o['regime_id'] == regime_id and
               o['phase'] == phase]
        self.assertLessEqual(len(got), 1, got)
        return got[0] if got else None

    def aq_incident(self, aware, **kw):
        kw.setdefault('jurisdictions', [PLACE])
        return self.create(discovered_at=ts(aware - HOUR),
                           aware_at=ts(aware), **kw)

    def verify_audit(self):
        st, _, b = self.fx.as_('dpo', 'GET', '/api/v1/audit/verify')
        self.assertEqual(st, 200, b)
        self.assertIs(b['ok'], True, b)

    # ---- reading

    def test_list_shipped(self):
        st, _, b = self.fx.as_('viewer', 'GET', '/api/v1/regimes')
        self.assertEqual(st, 200, b)
        self.assertEqual([g['id'] for g in b['items']],
                         sorted(g['id'] for g in b['items']), 'ordered by id')
        items = [g for g in b['items'] if not g['id'].startswith('t_')]
        ids = [g['id'] for g in items]
        self.assertEqual(len(ids), SHIPPED, ids)
        self.assertEqual(len(set(ids)), SHIPPED, 'duplicate ids')
        for g in items:
            with self.subTest(g['id']):
                self.assertEqual(set(g), REGIME_KEYS)
                self.assertIsInstance(g['rule'], dict)
                self.assertTrue(g['rule'].get('phases'), g['rule'])
                # a link first (two shipped entries add a note after it,
                # verbatim from the reference file)
                self.assertRegex(g['citation_url'], r'^https?://[^\s/]+\S*')
                self.assertIn(g['status'], STATUSES)
                self.assertIsNone(g['retired_at'])
                self.assertTrue(g['legal_source'])
        for rid in ('uk_gdpr_art33_ico', 'uk_gdpr_art34_individuals',
                    'uk_gdpr_art33_2_processor', 'eu_dora_art19',
                    'eu_nis2_art23', 'us_tx_breach',
                    'br_lgpd_anpd_res15_art6', 'uk_pecr_reg5a_ico',
                    'uk_pecr_reg5a_ico_pre_duaa'):
            self.assertIn(rid, ids)

    def test_get_one(self):
        st, _, lst = self.fx.as_('admin', 'GET', '/api/v1/regimes')
        self.assertEqual(st, 200)
        by = {g['id']: g for g in lst['items']}
        for user in READERS:
            with self.subTest(user):
                g = self.regime('uk_gdpr_art33_ico', user=user)
                self.assertEqual(g, by['uk_gdpr_art33_ico'])
        ico = by['uk_gdpr_art33_ico']['rule']
        self.assertEqual(ico['applies'], {'jurisdictions': ['GB'],
                                          'min_risk': 'risk',
                                          'role': 'controller'})
        self.assertEqual(ico['phases'], [{
            'id': 'notification', 'name': 'Notification to the ICO',
            'start': 'aware_at', 'duration': 72, 'unit': 'hours'}])
        pecr = by['uk_pecr_reg5a_ico_pre_duaa']['rule']
        self.assertEqual(pecr.get('effective_to'), '2025-08-19')
        self.assertEqual(by['uk_pecr_reg5a_ico']['rule'].get(
            'effective_from'), '2025-08-20')

    def test_get_unknown(self):
        self.assertProblem(self.fx.as_('viewer', 'GET',
                                       '/api/v1/regimes/no_such_regime'),
                           404, 'not-found')
        # not a name: no route
        self.assertProblem(self.fx.as_('viewer', 'GET',
                                       '/api/v1/regimes/UK-GDPR'), 404)
        self.assertProblem(self.fx.as_('viewer', 'GET',
                                       '/api/v1/regimes/' + 'a' * 65), 404)

    # ---- roles

    def test_roles(self):
        self.assertProblem(self.fx.as_('notifier', 'GET', '/api/v1/regimes'),
                           403, 'forbidden')
        self.assertProblem(self.fx.as_('notifier', 'GET',
                                       '/api/v1/regimes/uk_gdpr_art33_ico'),
                           403, 'forbidden')
        self.assertProblem(self.fx.request('GET', '/api/v1/regimes'), 401,
                           'unauthorized')
        before = self.regime('uk_nis_reg11_oes')
        for user in NON_ADMINS:
            with self.subTest(user):
                self.assertProblem(self.fx.as_(
                    user, 'POST', '/api/v1/regimes',
                    body=regime_body('t_roles_%s' % user)), 403, 'forbidden')
                self.assertProblem(self.fx.as_(
                    user, 'PATCH', '/api/v1/regimes/uk_nis_reg11_oes',
                    body={'notes': 'x'}), 403, 'forbidden')
                self.assertProblem(self.fx.as_(
                    user, 'POST', '/api/v1/regimes/uk_nis_reg11_oes/retire',
                    body={'reason': 'x'}), 403, 'forbidden')
                self.regime('t_roles_%s' % user, expect=404)
        self.assertEqual(self.regime('uk_nis_reg11_oes'), before)

    # ---- create

    def test_create_applies_to_open_incident(self):
        aware = now() - 2 * HOUR
        inc = self.aq_incident(aware)
        other = self.create(discovered_at=ts(aware - HOUR),
                            aware_at=ts(aware), jurisdictions=['GB'])
        self.assertIsNone(self.obl(inc['id'], 't_create'))
        n_added = len(self.audit('regime.added'))
        st, h, g = self.add(regime_body('t_create'))
        self.assertEqual(h.get('location'), '/api/v1/regimes/t_create')
        self.assertEqual(set(g), REGIME_KEYS)
        self.assertEqual(g['id'], 't_create')
        self.assertEqual(g['rule'], rule())
        self.assertEqual(g['status'], 'unverified')
        self.assertEqual(g['notes'], '')
        self.assertIsNone(g['retired_at'])
        self.assertEqual(g['citation_url'], 'https://example.org/test-act')
        self.assertEqual(self.regime('t_create'), g)
        # its obligation appears on the matching open incident
        o = self.obl(inc['id'], 't_create')
        self.assertIsNotNone(o, 'no obligation from the new regime')
        self.assertEqual(o['regime_name'], 'Test regime t_create')
        self.assertEqual(o['recipient'], 'Antarctic Commissioner')
        self.assertEqual(o['legal_source'], 'Test Act s. 1')
        self.assertEqual(o['phase_name'], 'Tell the penguins')
        self.assertEqual(o['starts_at'], ts(aware))
        self.assertEqual(o['due_at'], ts(aware + 10 * HOUR))
        self.assertEqual(o['state'], 'pending')
        self.assertIs(o['target'], False)
        self.assertEqual(self.get(inc['id'])['next_due_at'],
                         ts(aware + 10 * HOUR))
        ev = [e for e in self.events(inc['id'])
              if e['action'] == 'obligation.created' and
              e['data'].get('regime_id') == 't_create']
        self.assertEqual(len(ev), 1, ev)
        self.assertEqual(ev[0]['data']['obligation_id'], o['id'])
        self.assertEqual(ev[0]['data']['phase'], 'notification')
        self.assertEqual(ev[0]['data']['due_at'], ts(aware + 10 * HOUR))
        self.assertEqual(ev[0]['actor'], 'admin')
        # ... and not on an incident elsewhere
        self.assertIsNone(self.obl(other['id'], 't_create'))
        self.assertNotIn('t_create', [
            e['data'].get('regime_id') for e in self.events(other['id'])])
        # an audit event records the addition
        added = self.audit('regime.added')
        self.assertEqual(len(added), n_added + 1, added)
        self.assertEqual(added[-1][1].get('regime_id'), 't_create')
        self.assertEqual(added[-1][1]['regime']['rule'], rule())
        self.verify_audit()
        # a new incident gets it at creation
        later = self.aq_incident(aware - HOUR)
        o = self.obl(later['id'], 't_create')
        self.assertIsNotNone(o)
        self.assertEqual(o['due_at'], ts(aware + 9 * HOUR))

    def test_create_every_unit_and_status(self):
        r = {'applies': {'jurisdictions': ['EU', 'US-TX'],
                         'sectors_any': ['nis2_entity'], 'role': 'controller',
                         'min_risk': 'risk', 'subjects_min': 10,
                         'count_in': 'jurisdiction',
                         'encryption_safe_harbor': True},
             'effective_from': '2024-01-01', 'effective_to': '2030-12-31',
             'calendar': {'tz': 'Europe/Brussels', 'holidays': None},
             'phases': [
                 {'id': 'a', 'name': 'A', 'start': 'aware_at',
                  'duration': 1, 'unit': 'calendar_days',
                  'cap': {'start': 'discovered_at', 'duration': 30,
                          'unit': 'hours'}},
                 {'id': 'b', 'name': 'B', 'start': 'phase:a',
                  'duration': 2, 'unit': 'months'},
                 {'id': 'c', 'name': 'C', 'start': 'discovered_at',
                  'unit': 'none', 'target_hours': 'controller_notice_hours',
                  'required_when': {'role': 'controller'}},
                 {'id': 'd', 'name': 'D', 'start': 'year_end:discovered_at',
                  'duration': 60, 'unit': 'calendar_days'},
                 {'id': 'e', 'name': 'E', 'start': 'decision',
                  'unit': 'none'}]}
        st, _, g = self.add(regime_body('t_units', rule=r, status='verified',
                                        notes='a test'))
        self.assertEqual(g['rule'], r)
        self.assertEqual(g['status'], 'verified')
        self.assertEqual(g['notes'], 'a test')

    def test_invalid_rules(self):
        good = rule()

        def with_phase(**kw):
            r = copy.deepcopy(good)
            r['phases'][0].update(kw)
            return r

        def with_applies(**kw):
            r = copy.deepcopy(good)
            r['applies'].update(kw)
            return r
        cases = {
            'unknown member': dict(good, colour='red'),
            'unknown phase member': with_phase(colour='red'),
            'unknown applies member': with_applies(colour='red'),
            'bad unit': with_phase(unit='weeks'),
            'bad tz': dict(good, calendar={'tz': 'Mars/Olympus_Mons',
                                           'holidays': None}),
            'bad holiday set': dict(good, calendar={'tz': 'Europe/London',
                                                    'holidays': 'xx'}),
            'forward phase reference': {
                'phases': [{'id': 'first', 'name': 'F',
                            'start': 'phase:second', 'duration': 1,
                            'unit': 'hours'},
                           {'id': 'second', 'name': 'S',
                            'start': 'aware_at', 'duration': 1,
                            'unit': 'hours'}]},
            'self reference': with_phase(start='phase:notification'),
            'bad jurisdiction lower case': with_applies(jurisdictions=['gb']),
            'bad jurisdiction alpha-3': with_applies(jurisdictions=['GBR']),
            'bad jurisdiction subdivision': with_applies(
                jurisdictions=['US-TEXAS']),
            # The right shape, but not listed by ISO 3166 (iso-codes).
            'unassigned country code': with_applies(jurisdictions=['QQ']),
            'UK for GB': with_applies(jurisdictions=['UK']),
            'unassigned subdivision': with_applies(jurisdictions=['US-ZZ']),
            'bad start': with_phase(start='breakfast'),
            'day unit without calendar': with_phase(unit='calendar_days'),
            'no duration': {'phases': [{'id': 'n', 'name': 'N',
                                        'start': 'aware_at',
                                        'unit': 'hours'}]},
            'negative duration': with_phase(duration=-1),
            'no phases': {'applies': {'jurisdictions': [PLACE]},
                          'phases': []},
            'duplicate phase id': {'phases': [good['phases'][0]] * 2},
            'bad sector': with_applies(sectors_any=['bakery']),
            'bad role': with_applies(role='bystander'),
            'bad min_risk': with_applies(min_risk='medium'),
            'bad determination': with_applies(determination='vibes'),
            'determination start without one': with_phase(
                start='determination'),
            'bad date': dict(good, effective_from='2025-02-30'),
            'dates reversed': dict(good, effective_from='2026-01-02',
                                   effective_to='2026-01-01'),
            'rule not an object': [good],
        }
        n_added = len(self.audit('regime.added'))
        for i, (name, r) in enumerate(sorted(cases.items())):
            with self.subTest(name):
                rid = 't_invalid_%d' % i
                resp = self.fx.as_('admin', 'POST', '/api/v1/regimes',
                                   body=regime_body(rid, rule=r))
                self.assertProblem(resp, 400, 'invalid-field', 'rule',
                                   msg=name)
                self.regime(rid, expect=404)
        self.assertEqual(len(self.audit('regime.added')), n_added)

    def test_invalid_fields(self):
        for body, field in (
                ({k: v for k, v in regime_body('t_nr').items()
                  if k != 'rule'}, 'rule'),
                ({k: v for k, v in regime_body('t_nn').items()
                  if k != 'name'}, 'name'),
                ({k: v for k, v in regime_body('t_nc').items()
                  if k != 'citation_url'}, 'citation_url'),
                (regime_body('Bad-Id'), 'id'),
                (regime_body('a' * 65), 'id'),
                (regime_body(''), 'id'),
                (regime_body('t_colour', colour='red'), 'colour'),
                (regime_body('t_ro', retired_at=None), 'retired_at'),
                (regime_body('t_name', name=5), 'name'),
                # the texts a regime needs may not be blank
                (regime_body('t_blank', name=''), 'name'),
                (regime_body('t_blank', recipient=' \t\n'), 'recipient'),
                (regime_body('t_blank', legal_source=' '), 'legal_source'),
                (regime_body('t_blank', jurisdiction=''), 'jurisdiction')):
            with self.subTest(body.get('id')):
                r = self.fx.as_('admin', 'POST', '/api/v1/regimes',
                                body=body)
                self.assertProblem(r, 400, 'invalid-field', field)
        for rid in ('t_nr', 't_nn', 't_nc', 't_colour', 't_ro', 't_name',
                    't_blank'):
            self.regime(rid, expect=404)

    def test_duplicate_id(self):
        self.add(regime_body('t_dup'))
        n_added = len(self.audit('regime.added'))
        r = self.fx.as_('admin', 'POST', '/api/v1/regimes',
                        body=regime_body('t_dup', name='second'))
        self.assertProblem(r, 409, 'conflict')
        self.assertEqual(self.regime('t_dup')['name'], 'Test regime t_dup')
        shipped = self.regime('uk_gdpr_art33_ico')
        r = self.fx.as_('admin', 'POST', '/api/v1/regimes',
                        body=regime_body('uk_gdpr_art33_ico'))
        self.assertProblem(r, 409, 'conflict')
        self.assertEqual(self.regime('uk_gdpr_art33_ico'), shipped)
        self.assertEqual(len(self.audit('regime.added')), n_added)

    # ---- change

    def test_patch_moves_due(self):
        place = 'BV'        # Bouvet Island: this test's own jurisdiction
        aware = now() - 3 * HOUR
        inc = self.aq_incident(aware, jurisdictions=[place])
        self.add(regime_body('t_patch', rule=rule(place=place)))
        o = self.obl(inc['id'], 't_patch')
        self.assertEqual(o['due_at'], ts(aware + 10 * HOUR))
        n_ev = len(self.events(inc['id']))
        r = self.patch_regime('t_patch', {'rule': rule(hours=48, place=place),
                                          'notes': 'period corrected'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['rule'], rule(hours=48, place=place))
        self.assertEqual(r[2]['notes'], 'period corrected')
        self.assertEqual(r[2]['name'], 'Test regime t_patch')
        self.assertEqual(self.regime('t_patch'), r[2])
        o2 = self.obl(inc['id'], 't_patch')
        self.assertEqual(o2['id'], o['id'])
        self.assertEqual(o2['due_at'], ts(aware + 48 * HOUR))
        self.assertEqual(o2['state'], 'pending')
        new = self.events(inc['id'])[n_ev:]
        self.assertEqual([e['action'] for e in new], ['obligation.updated'],
                         new)
        self.assertEqual(new[0]['data']['obligation_id'], o['id'])
        self.assertEqual(new[0]['data']['changes']['due_at'],
                         {'from': ts(aware + 10 * HOUR),
                          'to': ts(aware + 48 * HOUR)})
        changed = self.audit('regime.changed')
        self.assertTrue(changed)
        self.assertEqual(changed[-1][1]['regime_id'], 't_patch')
        self.assertEqual(changed[-1][1]['changes']['notes'],
                         {'from': '', 'to': 'period corrected'})
        self.assertIn('rule', changed[-1][1]['changes'])
        self.verify_audit()

    def test_patch_that_changes_nothing(self):
        self.add(regime_body('t_same'))
        before = self.regime('t_same')
        n = len(self.audit('regime.changed'))
        for body in ({}, {'name': before['name']},
                     {'rule': before['rule'], 'notes': before['notes']}):
            with self.subTest(body):
                r = self.patch_regime('t_same', body)
                self.assertStatus(r, 200)
                self.assertEqual(r[2], before)
                self.assertEqual(r[1].get('etag'),
                                 '"%d"' % before['version'])
        self.assertEqual(self.regime('t_same'), before)
        self.assertEqual(len(self.audit('regime.changed')), n)
        # a real change still makes a new version
        r = self.patch_regime('t_same', {'notes': 'now changed'})
        self.assertStatus(r, 200)
        self.assertEqual(r[2]['version'], before['version'] + 1)
        self.assertEqual(len(self.audit('regime.changed')), n + 1)

    def test_patch_invalid(self):
        self.add(regime_body('t_patch_bad'))
        before = self.regime('t_patch_bad')
        path = '/api/v1/regimes/t_patch_bad'
        for body, field in (({'id': 't_other'}, 'id'),
                            ({'colour': 'red'}, 'colour'),
                            ({'rule': rule(hours=-5)}, 'rule'),
                            ({'rule': dict(rule(), calendar={
                                'tz': 'Nowhere/Land'})}, 'rule'),
                            ({'name': None}, 'name'),
                            ({'name': '  '}, 'name'),
                            ({'deadline': ''}, 'deadline')):
            with self.subTest(body):
                r = self.patch_regime('t_patch_bad', body)
                self.assertProblem(r, 400, 'invalid-field', field)
        self.assertEqual(self.regime('t_patch_bad'), before)
        self.assertProblem(self.fx.as_('admin', 'PATCH',
                                       '/api/v1/regimes/no_such_regime',
                                       body={'notes': 'x'}), 404, 'not-found')

    def test_patch_needs_the_current_etag(self):
        self.add(regime_body('t_etag'))
        path = '/api/v1/regimes/t_etag'
        st, h, g = self.fx.as_('admin', 'GET', path)
        self.assertEqual((st, h['etag'], g['version']), (200, '"1"', 1))
        r = self.fx.as_('admin', 'PATCH', path, body={'notes': 'a'})
        self.assertProblem(r, 428, 'precondition-required')
        # (A weak tag never matches: RFC 9110 13.1.1; test_if_match.py.)
        for stale in ('"2"', '"0"', '1', 'W/"x"', 'W/"1"'):
            r = self.fx.as_('admin', 'PATCH', path, body={'notes': 'a'},
                            headers={'If-Match': stale})
            self.assertProblem(r, 412, 'precondition-failed', msg=stale)
        st, h, g = self.fx.as_('admin', 'PATCH', path, body={'notes': 'a'},
                               headers={'If-Match': '"1"'})
        self.assertEqual((st, h['etag'], g['version'], g['notes']),
                         (200, '"2"', 2, 'a'))
        # A second writer who read version 1 loses; nothing changed.
        r = self.fx.as_('admin', 'PATCH', path, body={'notes': 'b'},
                        headers={'If-Match': '"1"'})
        self.assertProblem(r, 412, 'precondition-failed')
        self.assertEqual(self.regime('t_etag')['notes'], 'a')
        st, _, g = self.fx.as_('admin', 'POST', path + '/retire',
                               body={'reason': 'test'})
        self.assertEqual((st, g['version']), (200, 3))

    # ---- retire

    def test_retire(self):
        place = 'HM'        # Heard Island: this test's own jurisdiction
        aware = now() - 3 * HOUR
        inc = self.aq_incident(aware, jurisdictions=[place])
        self.add(regime_body('t_retire', rule=rule(place=place)))
        o = self.obl(inc['id'], 't_retire')
        self.assertEqual(o['state'], 'pending')
        path = '/api/v1/regimes/t_retire/retire'
        for body in ({}, {'reason': ''}, {'reason': '  '}, {'reason': 5},
                     {'reason': 'x', 'colour': 'red'}):
            with self.subTest(body):
                r = self.fx.as_('admin', 'POST', path, body=body)
                self.assertStatus(r, 400)
        self.assertIsNone(self.regime('t_retire')['retired_at'])
        n_ev = len(self.events(inc['id']))
        t0 = now()
        r = self.fx.as_('admin', 'POST', path,
                        body={'reason': 'repealed'})
        self.assertStatus(r, 200)
        self.assertIsNotNone(r[2]['retired_at'])
        self.assertLessEqual(abs((parse_ts(r[2]['retired_at']) -
                                  t0).total_seconds()), 60)
        self.assertEqual(self.regime('t_retire'), r[2])
        o2 = self.obl(inc['id'], 't_retire')
        self.assertEqual(o2['id'], o['id'])
        self.assertEqual(o2['state'], 'not_required')
        self.assertEqual(o2['due_at'], o['due_at'])
        new = self.events(inc['id'])[n_ev:]
        self.assertEqual([e['action'] for e in new], ['obligation.updated'],
                         new)
        self.assertEqual(new[0]['data']['changes']['state'],
                         {'from': 'pending', 'to': 'not_required'})
        self.assertIsNone(self.get(inc['id'])['next_due_at'])
        retired = self.audit('regime.retired')
        self.assertEqual(retired[-1][1]['regime_id'], 't_retire')
        self.assertEqual(retired[-1][1]['reason'], 'repealed')
        # still listed, retired; not applied to new incidents
        st, _, lst = self.fx.as_('viewer', 'GET', '/api/v1/regimes')
        self.assertIn('t_retire', [g['id'] for g in lst['items']])
        later = self.aq_incident(aware, jurisdictions=[place])
        self.assertIsNone(self.obl(later['id'], 't_retire'))
        # retiring twice, or an unknown regime: 404
        self.assertProblem(self.fx.as_('admin', 'POST', path,
                                       body={'reason': 'again'}), 404)
        self.assertProblem(self.fx.as_(
            'admin', 'POST', '/api/v1/regimes/no_such_regime/retire',
            body={'reason': 'x'}), 404, 'not-found')
        self.verify_audit()

    def test_met_obligation_survives_retire(self):
        place = 'TF'
        aware = now() - 3 * HOUR
        inc = self.aq_incident(aware, jurisdictions=[place])
        self.add(regime_body('t_met', rule=rule(place=place)))
        o = self.obl(inc['id'], 't_met')
        sent = aware + HOUR
        r = self.fx.as_('handler', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (inc['id'], o['id']), body={'sent_at': ts(sent)})
        self.assertStatus(r, 201)
        r = self.fx.as_('admin', 'POST', '/api/v1/regimes/t_met/retire',
                        body={'reason': 'gone'})
        self.assertStatus(r, 200)
        o2 = self.obl(inc['id'], 't_met')
        self.assertEqual(o2['state'], 'met')
        self.assertEqual(o2['met_at'], ts(sent))

    def test_closed_incident_not_recomputed(self):
        place = 'GS'        # South Georgia: this test's own jurisdiction
        aware = now() - 3 * HOUR
        closed = self.aq_incident(aware, jurisdictions=[place])
        open_ = self.aq_incident(aware, jurisdictions=[place])
        self.add(regime_body('t_closed', rule=rule(place=place)))
        oc = self.obl(closed['id'], 't_closed')
        self.assertEqual(oc['due_at'], ts(aware + 10 * HOUR))
        self.walk(closed['id'], 'investigating', 'confirmed', 'contained',
                  'closed')
        self.assertEqual(self.get(closed['id'])['status'], 'closed')
        snap = (self.obl(closed['id'], 't_closed'), self.events(closed['id']))
        r = self.patch_regime('t_closed', {'rule': rule(hours=20, place=place)})
        self.assertStatus(r, 200)
        # the open incident moved, the closed one did not
        self.assertEqual(self.obl(open_['id'], 't_closed')['due_at'],
                         ts(aware + 20 * HOUR))
        self.assertEqual((self.obl(closed['id'], 't_closed'),
                          self.events(closed['id'])), snap)
        r = self.fx.as_('admin', 'POST', '/api/v1/regimes/t_closed/retire',
                        body={'reason': 'gone'})
        self.assertStatus(r, 200)
        self.assertEqual(self.obl(open_['id'], 't_closed')['state'],
                         'not_required')
        self.assertEqual((self.obl(closed['id'], 't_closed'),
                          self.events(closed['id'])), snap)
        # a regime added now does not reach the closed incident either
        self.add(regime_body('t_closed_new', rule=rule(place=place)))
        self.assertIsNotNone(self.obl(open_['id'], 't_closed_new'))
        self.assertIsNone(self.obl(closed['id'], 't_closed_new'))


if __name__ == '__main__':
    harness.main()
