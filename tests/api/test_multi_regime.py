"""Issue 3, "done when": an incident affecting people in GB, DE, US-TX and
BR at a DORA financial entity shows every obligation it owes with correct
due instants, and changing one input at a time moves exactly the
obligations it should, each move an event in the incident's timeline.

Every expected instant is computed here from the rule's arithmetic written
out by hand (regime-rule.md, "Phases"):
  hours          start + N h (elapsed time);
  calendar_days  the day of the start event (local, in the regime's zone)
                 is not counted; due at the end (23:59:59) of the Nth day;
  business_days  as calendar days, skipping Saturdays, Sundays and the
                 regime's holiday set;
  months         the same day-of-month N months later (clamped to the
                 month's last day), end of that day.
Local days come from zoneinfo (the system tz database), not from the
server.
"""

import calendar
import datetime
import os
import sys
from zoneinfo import ZoneInfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import HOUR, now, parse_ts, ts  # noqa: E402

UTC = datetime.timezone.utc


def at(s):
    return parse_ts(s)


# ---- the facts of the base incident (all in the past)
# discovered 2026-03-25 23:30 in Chicago (CDT), already 26 March in UTC:
# the local day decides the Texas day counts.
DISCOVERED = at('2026-03-26T04:30:00Z')
# aware on Friday 27 March 2026, 12:00 in Sao Paulo; the 72 h run across
# the start of British Summer Time (Sunday 29 March).
AWARE = at('2026-03-27T15:00:00Z')
# classified as a major ICT incident (DORA) at 12:00Z on 28 March: 4 h
# later is 16:00Z, after the 24 h-from-awareness cap (15:00Z).
DORA_MAJOR = at('2026-03-28T12:00:00Z')

JURISDICTIONS = ['GB', 'DE', 'US-TX', 'BR']

# ---- calendars
LONDON = 'Europe/London'
BRUSSELS = 'Europe/Brussels'
SAO_PAULO = 'America/Sao_Paulo'
CHICAGO = 'America/Chicago'       # Texas (most of it): Central time

# Brazilian national holidays of 2026, as listed in sql/003_holidays.sql
# (set 'br', from the MGI portaria published 30 Dec 2025).
BR_HOLIDAYS = {
    datetime.date(2026, 1, 1),    # Confraternização Universal
    datetime.date(2026, 4, 3),    # Paixão de Cristo (Sexta-feira Santa)
    datetime.date(2026, 4, 21),   # Tiradentes
    datetime.date(2026, 5, 1),    # Dia Mundial do Trabalho
}


def end_of_local_day(day, tz):
    """23:59:59 local on day in zone tz, as a UTC instant."""
    return datetime.datetime.combine(
        day, datetime.time(23, 59, 59), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def local_day(instant, tz):
    return instant.astimezone(ZoneInfo(tz)).date()


def plus_hours(start, n):
    return start + n * HOUR


def plus_calendar_days(start, n, tz):
    return end_of_local_day(local_day(start, tz) + datetime.timedelta(n), tz)


def plus_business_days(start, n, tz, holidays):
    day = local_day(start, tz)
    counted = 0
    while counted < n:
        day += datetime.timedelta(1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return end_of_local_day(day, tz)


def plus_months(start, n, tz):
    day = local_day(start, tz)
    y, m = divmod(day.month - 1 + n, 12)
    y, m = day.year + y, m + 1
    last = calendar.monthrange(y, m)[1]
    return end_of_local_day(datetime.date(y, m, min(day.day, last)), tz)


# ---- expected obligations of the base incident, law by law
ICO = ('uk_gdpr_art33_ico', 'notification')
EU_SA = ('eu_gdpr_art33_sa', 'notification')
UK_34 = ('uk_gdpr_art34_individuals', 'notification')
EU_34 = ('eu_gdpr_art34_ds', 'notification')
DORA_I = ('eu_dora_art19', 'initial')
DORA_M = ('eu_dora_art19', 'intermediate')
DORA_F = ('eu_dora_art19', 'final')
BR_ANPD = ('br_lgpd_anpd_res15_art6', 'notification')
BR_SUBJ = ('br_lgpd_anpd_res15_art9', 'notification')
BR_DECL = ('br_lgpd_anpd_res15_art9', 'declaration')
TX_RES = ('us_tx_breach', 'notification')
TX_AG = ('us_tx_breach', 'attorney_general')


def expected(aware=AWARE, discovered=DISCOVERED, dora_major=DORA_MAJOR):
    """{(regime_id, phase): (starts_at, due_at)} owed by the base incident
    (controller, no risk decision yet: conservative, every risk-threshold
    regime is owed)."""
    return {
        # UK GDPR Art. 33(1): 72 hours after becoming aware.
        ICO: (aware, plus_hours(aware, 72)),
        # GDPR Art. 33(1) (DE is in the EEA): 72 hours after awareness.
        EU_SA: (aware, plus_hours(aware, 72)),
        # DORA Art. 19(4)(a) + RTS: initial notification within 4 hours of
        # classification as major, no later than 24 hours after awareness.
        DORA_I: (dora_major, min(plus_hours(dora_major, 4),
                                 plus_hours(aware, 24))),
        # ANPD Resolution 15/2024 Art. 6: 3 working days after awareness.
        BR_ANPD: (aware, plus_business_days(aware, 3, SAO_PAULO,
                                            BR_HOLIDAYS)),
        # Art. 9: titulares within 3 working days; the declaration to the
        # ANPD within 6 working days.
        BR_SUBJ: (aware, plus_business_days(aware, 3, SAO_PAULO,
                                            BR_HOLIDAYS)),
        BR_DECL: (aware, plus_business_days(aware, 6, SAO_PAULO,
                                            BR_HOLIDAYS)),
        # Tex. Bus. & Com. Code 521.053: residents within 60 days after
        # determining the breach occurred; the AG within 30 days when at
        # least 250 Texans are affected (300 here).
        TX_RES: (discovered, plus_calendar_days(discovered, 60, CHICAGO)),
        TX_AG: (discovered, plus_calendar_days(discovered, 30, CHICAGO)),
    }


class HandArithmetic(harness.ApiCase):
    """The helpers above, on dates checked by hand on a calendar."""

    def test_helpers(self):
        # Fri 27 Mar 12:00 BRT: Mon 30, Tue 31, Wed 1 Apr -> 1 Apr 23:59:59
        # BRT (-03:00)
        self.assertEqual(ts(plus_business_days(AWARE, 3, SAO_PAULO,
                                               BR_HOLIDAYS)),
                         '2026-04-02T02:59:59Z')
        # ... Thu 2 Apr, (Good Friday 3 Apr), Mon 6, Tue 7 Apr
        self.assertEqual(ts(plus_business_days(AWARE, 6, SAO_PAULO,
                                               BR_HOLIDAYS)),
                         '2026-04-08T02:59:59Z')
        # local day of discovery in Chicago is 25 March: +30 = 24 April,
        # +60 = 24 May, 23:59:59 CDT (-05:00)
        self.assertEqual(ts(plus_calendar_days(DISCOVERED, 30, CHICAGO)),
                         '2026-04-25T04:59:59Z')
        self.assertEqual(ts(plus_calendar_days(DISCOVERED, 60, CHICAGO)),
                         '2026-05-25T04:59:59Z')
        # 72 elapsed hours across the BST change
        self.assertEqual(ts(plus_hours(AWARE, 72)), '2026-03-30T15:00:00Z')
        # 31 March + 1 month: clamped to 30 April, 23:59:59 CEST
        self.assertEqual(ts(plus_months(at('2026-03-31T10:00:00Z'), 1,
                                        BRUSSELS)), '2026-04-30T21:59:59Z')


def setUpModule():
    harness.setup_module()


def tearDownModule():
    harness.teardown_module()


class MultiRegime(harness.ApiCase):

    # ---- helpers

    def base(self, **over):
        body = {
            'title': 'multi-jurisdiction breach',
            'discovered_at': ts(DISCOVERED), 'aware_at': ts(AWARE),
            'jurisdictions': JURISDICTIONS,
            'sector_flags': ['dora_financial_entity'],
            'determinations': {'dora_major': ts(DORA_MAJOR)},
            'subjects_by_jurisdiction': {'US-TX': 300},
        }
        body.update(over)
        r = self.fx.as_('handler', 'POST', '/api/v1/incidents', body=body)
        self.assertStatus(r, 201, 'create %r' % (body,))
        return r[2]

    def snapshot(self, iid):
        """{(regime_id, phase): obligation}"""
        r = self.fx.as_('handler', 'GET',
                        '/api/v1/incidents/%d/obligations' % iid)
        self.assertStatus(r, 200)
        out = {}
        for o in r[2]['items']:
            key = (o['regime_id'], o['phase'])
            self.assertNotIn(key, out, 'two obligations for %r' % (key,))
            out[key] = o
        return out

    def owed_state(self, due):
        """A pending obligation is reported 'missed' once it is overdue."""
        return 'missed' if now() > due else 'pending'

    def assertObligations(self, got, want, owed_keys=None, met=()):
        """got: snapshot; want: {key: (starts_at, due_at)}; every key in
        met is met, every other key in owed_keys (default all) is owed, the
        rest not_required."""
        self.assertEqual(sorted(got), sorted(want))
        for key, (start, due) in sorted(want.items()):
            with self.subTest(key):
                o = got[key]
                self.assertEqual((o['starts_at'], o['due_at']),
                                 (ts(start), ts(due)), key)
                if key in met:
                    self.assertEqual(o['state'], 'met', key)
                elif owed_keys is None or key in owed_keys:
                    self.assertEqual(o['state'], self.owed_state(due), key)
                else:
                    self.assertEqual(o['state'], 'not_required', key)

    def obligation_events(self, iid, since=0):
        return [e for e in self.events(iid)[since:]
                if e['action'].startswith('obligation.')]

    def key_of(self, snap, oid):
        for k, o in snap.items():
            if o['id'] == oid:
                return k
        self.fail('event names obligation %r, not on the incident' % oid)

    def notify(self, iid, oid, sent_at, **extra):
        body = {'sent_at': ts(sent_at)}
        body.update(extra)
        r = self.fx.as_('handler', 'POST',
                        '/api/v1/incidents/%d/obligations/%d/notifications'
                        % (iid, oid), body=body)
        self.assertStatus(r, 201, 'notify %d' % oid)
        return r[2]

    def start(self):
        inc = self.base()
        snap = self.snapshot(inc['id'])
        self.assertObligations(snap, expected())
        return inc, snap, len(self.events(inc['id']))

    # ---- the base incident

    def test_base_incident(self):
        inc = self.base()
        self.assertEqual(inc['subjects_by_jurisdiction'], {'US-TX': 300})
        self.assertEqual(inc['determinations'],
                         {'dora_major': ts(DORA_MAJOR)})
        self.assertEqual(inc['sector_flags'], ['dora_financial_entity'])
        snap = self.snapshot(inc['id'])
        want = expected()
        self.assertObligations(snap, want)
        # the instants, spelt out once (the arithmetic above)
        self.assertEqual({k: snap[k]['due_at'] for k in snap}, {
            ICO: '2026-03-30T15:00:00Z',
            EU_SA: '2026-03-30T15:00:00Z',
            DORA_I: '2026-03-28T15:00:00Z',
            BR_ANPD: '2026-04-02T02:59:59Z',
            BR_SUBJ: '2026-04-02T02:59:59Z',
            BR_DECL: '2026-04-08T02:59:59Z',
            TX_RES: '2026-05-25T04:59:59Z',
            TX_AG: '2026-04-25T04:59:59Z',
        })
        for key, o in snap.items():
            with self.subTest(key):
                self.assertIs(o['target'], False, key)
                self.assertTrue(o['phase_name'])
                self.assertTrue(o['legal_source'])
                self.assertTrue(o['basis'])
        # the earliest owed deadline
        self.assertEqual(inc['next_due_at'],
                         ts(min(d for _, d in want.values())))
        self.assertEqual(self.get(inc['id'])['next_due_at'],
                         ts(min(d for _, d in want.values())))
        # one obligation.created event per obligation, with its due_at
        created = {}
        for e in self.obligation_events(inc['id']):
            self.assertEqual(e['action'], 'obligation.created', e)
            key = (e['data']['regime_id'], e['data']['phase'])
            self.assertNotIn(key, created)
            created[key] = e['data']
        self.assertEqual(sorted(created), sorted(want))
        for key, d in created.items():
            self.assertEqual(d['obligation_id'], snap[key]['id'])
            self.assertEqual(d['due_at'], ts(want[key][1]))

    # ---- one input at a time

    def test_remove_us_tx(self):
        inc, snap, n = self.start()
        self.patch(inc['id'], {'jurisdictions': ['GB', 'DE', 'BR']})
        after = self.snapshot(inc['id'])
        want = expected()
        self.assertObligations(after, want,
                               owed_keys=set(want) - {TX_RES, TX_AG})
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual(sorted((e['action'], self.key_of(after,
                                 e['data']['obligation_id']))
                                for e in moved),
                         sorted([('obligation.updated', TX_RES),
                                 ('obligation.updated', TX_AG)]))
        for e in moved:
            self.assertEqual(e['data']['changes']['state'],
                             {'from': 'pending', 'to': 'not_required'})
            self.assertNotIn('due_at', e['data']['changes'])
        # back again: owed again, each an event
        n = len(self.events(inc['id']))
        self.patch(inc['id'], {'jurisdictions': JURISDICTIONS})
        self.assertObligations(self.snapshot(inc['id']), want)
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual(sorted(self.key_of(after, e['data']['obligation_id'])
                                for e in moved), sorted([TX_RES, TX_AG]))
        for e in moved:
            self.assertEqual(e['data']['changes']['state'],
                             {'from': 'not_required', 'to': 'pending'})

    def test_texas_count_below_ag_threshold(self):
        inc, snap, n = self.start()
        self.patch(inc['id'], {'subjects_by_jurisdiction': {'US-TX': 200}})
        after = self.snapshot(inc['id'])
        want = expected()
        # 200 Texans: the AG notice (250 or more) is not required; the
        # residents' notice still is.
        self.assertObligations(after, want, owed_keys=set(want) - {TX_AG})
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual([(e['action'], self.key_of(after,
                           e['data']['obligation_id'])) for e in moved],
                         [('obligation.updated', TX_AG)])
        self.assertEqual(moved[0]['data']['changes']['state'],
                         {'from': 'pending', 'to': 'not_required'})

    def test_texas_count_exactly_250(self):
        inc, snap, n = self.start()
        self.patch(inc['id'], {'subjects_by_jurisdiction': {'US-TX': 250}})
        self.assertObligations(self.snapshot(inc['id']), expected())
        self.assertEqual(self.obligation_events(inc['id'], n), [])

    def test_high_risk_decision(self):
        inc, snap, n = self.start()
        d = self.decide(inc['id'], 'high', rationale='health data of many')
        decided = parse_ts(d['decided_at'])
        after = self.snapshot(inc['id'])
        want = expected()
        # UK GDPR / GDPR Art. 34: "without undue delay": the organisation's
        # target, 72 h (--art34-target-hours default) after the decision.
        want[UK_34] = (decided, plus_hours(decided, 72))
        want[EU_34] = (decided, plus_hours(decided, 72))
        self.assertObligations(after, want)
        for key in (UK_34, EU_34):
            self.assertIs(after[key]['target'], True, key)
            self.assertEqual(after[key]['state'], 'pending')
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual(sorted((e['action'], self.key_of(
            after, e['data']['obligation_id'])) for e in moved),
            [('obligation.created', EU_34), ('obligation.created', UK_34)])
        for e in moved:
            self.assertEqual(e['data']['due_at'], ts(decided + 72 * HOUR))

    def test_unlikely_decision(self):
        inc, snap, n = self.start()
        self.decide(inc['id'], 'unlikely', rationale='encrypted, key safe')
        after = self.snapshot(inc['id'])
        want = expected()
        # risk-threshold regimes drop; DORA (an ICT incident regime) and
        # the Texas statute (no risk threshold in its rule) stay owed
        lifted = {ICO, EU_SA, BR_ANPD, BR_SUBJ, BR_DECL}
        self.assertObligations(after, want, owed_keys=set(want) - lifted)
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual(sorted(self.key_of(after, e['data']['obligation_id'])
                                for e in moved), sorted(lifted))
        for e in moved:
            self.assertEqual(e['action'], 'obligation.updated')
            self.assertEqual(e['data']['changes']['state'],
                             {'from': 'pending', 'to': 'not_required'})

    def test_file_dora_phases(self):
        inc, snap, n = self.start()
        initial = snap[DORA_I]
        sent = at('2026-03-28T14:00:00Z')         # before its 15:00Z due
        self.notify(inc['id'], initial['id'], sent, reference='DORA-1')
        after = self.snapshot(inc['id'])
        want = expected()
        # DORA intermediate report: 72 h after the initial notification
        want[DORA_M] = (sent, plus_hours(sent, 72))
        self.assertObligations(after, want, met={DORA_I})
        self.assertEqual(after[DORA_I]['state'], 'met')
        self.assertEqual(after[DORA_I]['met_at'], ts(sent))
        self.assertEqual(after[DORA_M]['due_at'], '2026-03-31T14:00:00Z')
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual([(e['action'], self.key_of(
            after, e['data']['obligation_id'])) for e in moved],
            [('obligation.created', DORA_M)])
        self.assertEqual(moved[0]['data']['due_at'], ts(sent + 72 * HOUR))
        # filing the intermediate report starts the final report: one
        # month later, Brussels time (31 March -> 30 April, clamped)
        n = len(self.events(inc['id']))
        sent2 = at('2026-03-31T10:00:00Z')
        self.notify(inc['id'], after[DORA_M]['id'], sent2)
        after2 = self.snapshot(inc['id'])
        want[DORA_F] = (sent2, plus_months(sent2, 1, BRUSSELS))
        self.assertObligations(after2, want, met={DORA_I, DORA_M})
        self.assertEqual(after2[DORA_F]['due_at'], '2026-04-30T21:59:59Z')
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual([(e['action'], self.key_of(
            after2, e['data']['obligation_id'])) for e in moved],
            [('obligation.created', DORA_F)])

    def test_change_aware_at(self):
        inc, snap, n = self.start()
        delta = -2 * HOUR
        aware2 = AWARE + delta         # 10:00 in Sao Paulo, same day
        self.patch(inc['id'], {'aware_at': ts(aware2)})
        after = self.snapshot(inc['id'])
        want = expected(aware=aware2)
        self.assertObligations(after, want)
        # the hour-based dues moved by the same delta (DORA's through its
        # 24 h cap); the day-based ones did not
        hour_based = {ICO, EU_SA, DORA_I}
        for key in snap:
            old, new = parse_ts(snap[key]['due_at']), parse_ts(
                after[key]['due_at'])
            with self.subTest(key):
                self.assertEqual(new - old, delta if key in hour_based
                                 else datetime.timedelta(0), key)
        moved = {}
        for e in self.obligation_events(inc['id'], n):
            self.assertEqual(e['action'], 'obligation.updated', e)
            key = self.key_of(after, e['data']['obligation_id'])
            self.assertNotIn(key, moved)
            moved[key] = e['data']['changes']
        due_moves = {k: c['due_at'] for k, c in moved.items()
                     if 'due_at' in c}
        self.assertEqual(due_moves, {
            k: {'from': snap[k]['due_at'], 'to': after[k]['due_at']}
            for k in hour_based})
        # clocks that start at awareness restarted (starts_at moved) even
        # where the due day did not change
        for key in (ICO, EU_SA, BR_ANPD, BR_SUBJ, BR_DECL):
            self.assertEqual(moved.get(key, {}).get('starts_at'),
                             {'from': ts(AWARE), 'to': ts(aware2)}, key)
        self.assertEqual(set(moved) - hour_based,
                         {BR_ANPD, BR_SUBJ, BR_DECL})

    def test_change_aware_at_across_a_working_day(self):
        inc, snap, n = self.start()
        # Thursday 26 March 10:00 in Sao Paulo: one working day earlier
        aware2 = at('2026-03-26T13:00:00Z')
        self.patch(inc['id'], {'aware_at': ts(aware2)})
        after = self.snapshot(inc['id'])
        self.assertObligations(after, expected(aware=aware2))
        self.assertEqual(after[BR_ANPD]['due_at'], '2026-04-01T02:59:59Z')
        # with Good Friday skipped, 6 working days end on Monday 6 April
        self.assertEqual(after[BR_DECL]['due_at'], '2026-04-07T02:59:59Z')
        due_moved = {self.key_of(after, e['data']['obligation_id'])
                     for e in self.obligation_events(inc['id'], n)
                     if 'due_at' in e['data'].get('changes', {})}
        self.assertEqual(due_moved, {ICO, EU_SA, DORA_I, BR_ANPD, BR_SUBJ,
                                     BR_DECL})

    def test_change_determination(self):
        inc, snap, n = self.start()
        major2 = at('2026-03-28T08:00:00Z')   # +4 h = 12:00Z, before the cap
        self.patch(inc['id'], {'determinations': {'dora_major': ts(major2)}})
        after = self.snapshot(inc['id'])
        self.assertObligations(after, expected(dora_major=major2))
        self.assertEqual(after[DORA_I]['due_at'], '2026-03-28T12:00:00Z')
        moved = self.obligation_events(inc['id'], n)
        self.assertEqual([(e['action'], self.key_of(
            after, e['data']['obligation_id'])) for e in moved],
            [('obligation.updated', DORA_I)])
        self.assertEqual(moved[0]['data']['changes']['due_at'],
                         {'from': '2026-03-28T15:00:00Z',
                          'to': '2026-03-28T12:00:00Z'})

    def test_lgpd_small_agent(self):
        inc, snap, n = self.start()
        self.patch(inc['id'], {'sector_flags': ['dora_financial_entity',
                                                'lgpd_small_agent']})
        after = self.snapshot(inc['id'])
        want = expected()
        # ANPD Resolution 15/2024 with Resolution 2/2022 Art. 14: small
        # processing agents get double the periods: 6 working days to the
        # ANPD and to the titulares, 9 for the declaration.
        small = {
            ('br_lgpd_anpd_res15_art6', 'notification_small'): 6,
            ('br_lgpd_anpd_res15_art9', 'notification_small'): 6,
            ('br_lgpd_anpd_res15_art9', 'declaration_small'): 9,
        }
        for key, days in small.items():
            want[key] = (AWARE, plus_business_days(AWARE, days, SAO_PAULO,
                                                   BR_HOLIDAYS))
        regular = {BR_ANPD, BR_SUBJ, BR_DECL}
        self.assertObligations(after, want, owed_keys=set(want) - regular)
        moved = sorted((e['action'], self.key_of(
            after, e['data']['obligation_id']))
            for e in self.obligation_events(inc['id'], n))
        self.assertEqual(moved, sorted(
            [('obligation.created', k) for k in small] +
            [('obligation.updated', k) for k in regular]))

    def test_no_dora_without_determination_or_sector(self):
        for over in ({'determinations': {}}, {'sector_flags': []},
                     {'jurisdictions': ['GB', 'US-TX', 'BR']}):
            with self.subTest(over):
                inc = self.base(**over)
                want = expected()
                del want[DORA_I]
                if 'jurisdictions' in over:
                    del want[EU_SA]
                self.assertObligations(self.snapshot(inc['id']), want)

    def test_processor_role(self):
        # a processor owes its controllers, not the authorities
        inc = self.base(role='processor', controller_name='Acme Bank')
        snap = self.snapshot(inc['id'])
        self.assertIn(('uk_gdpr_art33_2_processor', 'notification'), snap)
        self.assertIn(('eu_gdpr_art33_2_processor', 'notification'), snap)
        for key in (ICO, EU_SA, BR_ANPD, BR_SUBJ, BR_DECL):
            self.assertNotIn(key, snap)
        for key in (('uk_gdpr_art33_2_processor', 'notification'),
                    ('eu_gdpr_art33_2_processor', 'notification')):
            o = snap[key]
            self.assertEqual(o['recipient'], 'Acme Bank')
            self.assertEqual(o['due_at'], ts(AWARE + 24 * HOUR))
            self.assertIs(o['target'], True)


if __name__ == '__main__':
    harness.main()
