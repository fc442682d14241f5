"""Each ladder step of an obligation arrives once, to the right people, on
time (no earlier than its instant, no later than one poll interval + slack),
and the messages say what they must: incident ref, obligation, time left,
times in the recipient's zone and UTC, a link to the incident."""

import datetime
import os
import sys
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import epoch, now  # noqa: E402

POLL_WAIT = 10
SLACK = 2.0         # seconds beyond one poll interval
LEAD = 80           # the deadline is this many seconds after creation


class Ladder(fixture.NotifierCase):

    def test_each_step_once_on_time(self):
        w = self.new_world(ladder=['applies', 't-1m', 'overdue'], hours=1)
        w.notifier(poll_wait=POLL_WAIT)
        time.sleep(1)   # let it reach its long-poll
        t0 = now()
        inc = w.incident(t0 - datetime.timedelta(seconds=3600 - LEAD),
                         title='Payroll export e-mailed to a supplier')
        iid = inc['id']
        ob = w.obligations(iid)
        self.assertEqual(len(ob), 1, ob)
        ob = ob[0]
        due = epoch(ob['due_at'])
        created = {a['key']: a for a in w.alerts(incident_id=iid)}
        key = 'obligation:%d:' % ob['id']
        for step in ('applies', 't-1m', 'overdue'):
            self.assertIn(key + step, created, 'step %s not queued' % step)
        # the server's plan: applies is past (collapsed to now), t-1m and
        # overdue at their instants
        instants = {
            'applies': epoch(created[key + 'applies']['send_at']),
            't-1m': due - 60,
            'overdue': due,
        }
        self.assertLessEqual(abs(instants['applies'] - t0.timestamp()), 2)
        self.assertEqual(epoch(created[key + 't-1m']['send_at']), due - 60)
        self.assertEqual(epoch(created[key + 'overdue']['send_at']), due)

        # wait until the overdue step has been acknowledged
        def overdue_sent():
            a = {x['key']: x for x in w.alerts(incident_id=iid)}
            return a.get(key + 'overdue', {}).get('state') == 'sent'
        w.wait_until(overdue_sent, LEAD + POLL_WAIT + 30,
                     what='the overdue step to be sent')
        time.sleep(3)   # anything that would arrive twice
        alerts = w.alerts(incident_id=iid)
        byk = {a['key']: a for a in alerts}
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        by_alert, _ = self.check_delivery(msgs, alerts, {iid: inc})

        plans = {'applies': {'handler@example.com', 'dpo@example.com'},
                 't-1m': {'handler@example.com', 'dpo@example.com',
                          'security@example.com'},
                 'overdue': {'handler@example.com', 'dpo@example.com',
                             'security@example.com', 'leaders@example.com'}}
        ny = zoneinfo.ZoneInfo(fixture.DPO_TZ)
        due_dt = datetime.datetime.fromtimestamp(due, datetime.timezone.utc)
        for step, instant in instants.items():
            with self.subTest(step=step):
                a = byk[key + step]
                self.assertEqual(a['state'], 'sent', a)
                ms = by_alert.get(a['id'], [])
                got = sorted(r.lower() for m in ms for r in m.rcpt_tos)
                self.assertEqual(got, sorted(plans[step]),
                                 'each recipient exactly once')
                for m in ms:
                    late = m.received_at - instant
                    self.assertGreaterEqual(
                        late, -0.5, '%s arrived %.1f s before its instant'
                        % (step, -late))
                    self.assertLessEqual(
                        late, POLL_WAIT + SLACK, '%s arrived %.1f s after '
                        'its instant (poll interval %d s)'
                        % (step, late, POLL_WAIT))
                    subj = str(m.msg['Subject'])
                    self.assertIn(inc['ref'], subj)
                    self.assertTrue(
                        any(s in subj for s in (
                            fixture.PHASE_NAME, fixture.REGIME_RECIPIENT,
                            ob['regime_name'])),
                        'subject %r does not name the obligation' % subj)
                    if step == 'overdue':
                        # sent at the deadline itself: "due now" is fair
                        self.assertTrue('overdue' in subj.lower() or
                                        'due now' in subj.lower(), subj)
                    else:
                        self.assertIn('due', subj.lower(), subj)
                    plain, html = self.text_of(m)
                    url = ('https://breachclock.example/incident.html?id=%d'
                           % iid)
                    self.assertIn(url, plain)
                    self.assertIn(url, html)
                    self.assertIn(inc['title'], plain)
                    # times: the recipient's zone and UTC
                    self.assertIn(due_dt.strftime('%H:%M'), plain,
                                  'due time in UTC missing')
                    if 'dpo@example.com' in m.rcpt_tos:
                        local = due_dt.astimezone(ny)
                        self.assertIn(local.strftime('%H:%M'), plain,
                                      'due time in America/New_York '
                                      'missing for the DPO')
        # the next reminder is planned a day after the overdue step
        nxt = byk.get(key + 'overdue-1')
        self.assertIsNotNone(nxt, 'no overdue-1 after the overdue step')
        self.assertEqual(nxt['state'], 'queued')
        self.assertEqual(epoch(nxt['send_at']), due + 24 * 3600)
        # events of the incident went out once too
        for ev in ('incident.reported', 'incident.assigned'):
            evs = [a for a in alerts if a['step'] == ev]
            self.assertEqual(len(evs), 1, ev)
            self.assertEqual(evs[0]['state'], 'sent', ev)
        self.assertEqual([a['state'] for a in alerts
                          if a['step'] == 'incident.untriaged'], ['queued'])
        # every thread root is the same
        roots = {str(m.msg['References']).split()[0] for m in msgs}
        self.assertEqual(len(roots), 1, roots)


if __name__ == '__main__':
    fixture.main()
