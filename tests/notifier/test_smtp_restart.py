"""The SMTP server is stopped for a while and restarted: everything arrives
in the end, nothing twice (the failures in between are transient: retried
with backoff, never `failed`).  Also a 451 answer: retried, then
delivered once."""

import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import epoch, now  # noqa: E402

# Steps already past: each incident gets one collapsed ladder alert now
# (plus incident.reported and incident.assigned); nothing else falls due
# during the test (t-1m is 50 minutes away).
AGO = datetime.timedelta(minutes=10)


class SmtpRestart(fixture.NotifierCase):

    def incidents(self, n, tag):
        return {i['id']: i for i in (
            self.world.incident(now() - AGO, title='%s %d' % (tag, k))
            for k in range(n))}

    def test_stopped_then_restarted(self):
        w = self.new_world()
        w.notifier(poll_wait=5)
        incs = self.incidents(2, 'before')
        w.wait_settled(30, set(incs), 'the first incidents to be sent')
        before = w.sink.count()
        self.assertGreater(before, 0)

        w.sink.stop()
        down = self.incidents(4, 'while down')
        incs.update(down)
        # the notifier tries, fails, and the server reschedules
        def tried():
            al = [a for a in w.alerts() if a['incident_id'] in down and
                  epoch(a['send_at']) <= time.time()]
            return al and all(a['attempts'] >= 1 and a['state'] == 'queued'
                              for a in al)
        w.wait_until(tried, 30, what='every alert to be tried once while '
                     'the SMTP server is down')
        al = [a for a in w.alerts() if a['incident_id'] in down and
              epoch(a['send_at']) <= time.time()]
        self.assertEqual([a for a in al if a['state'] == 'failed'], [])
        for a in al:
            self.assertTrue(a['last_error'], a)
            self.assertIsNotNone(a['next_attempt_at'], a)
        time.sleep(8)
        self.assertEqual(w.sink.count(), before, 'delivered while down?')
        w.sink.start()
        more = self.incidents(1, 'after')
        incs.update(more)
        # backoff is 30 s x attempts^2: the first retry comes within ~40 s
        w.wait_settled(150, set(incs), 'everything to be sent after the '
                       'restart')
        time.sleep(3)
        alerts = [a for a in w.alerts() if a['incident_id'] in incs]
        for a in alerts:
            if epoch(a['send_at']) <= time.time():
                self.assertEqual(a['state'], 'sent', a)
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        self.check_delivery(msgs, alerts, incs, exactly_once=True)
        # and nothing arrives twice if we wait a bit longer
        n = len(w.sink.messages())
        time.sleep(6)
        self.assertEqual(len(w.sink.messages()), n)

    def test_451_retried_then_delivered_once(self):
        w = self.new_world()
        w.sink.set_reject('*', 451)
        w.notifier(poll_wait=5)
        incs = self.incidents(2, 'greylisted')
        w.wait_until(lambda: len(w.sink.rejected) >= 1, 30,
                     what='a 451 answer')
        t_reject = time.time()
        w.wait_until(lambda: all(
            a['attempts'] >= 1 and a['state'] == 'queued'
            for a in w.alerts() if a['incident_id'] in incs and
            epoch(a['send_at']) <= time.time()), 30,
            what='every alert to be rescheduled after 451')
        for a in w.alerts():
            if a['incident_id'] in incs and a['attempts'] >= 1:
                self.assertIn('451', a['last_error'] or '', a)
        w.sink.clear_reject()
        w.wait_settled(90, set(incs), 'delivery after the 451s')
        time.sleep(3)
        alerts = [a for a in w.alerts() if a['incident_id'] in incs]
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        self.check_delivery(msgs, alerts, incs, exactly_once=True)
        for a in alerts:
            if a['state'] == 'sent':
                self.assertGreaterEqual(a['attempts'], 2, a)
        # retried with backoff, not hammered: no retry within ~25 s
        firsts = sorted(r['at'] for r in w.sink.rejected)
        self.assertTrue(all(m.received_at - t_reject > 20 for m in msgs),
                        'a 451-refused alert was retried sooner than the '
                        '30 s backoff')
        self.assertTrue(firsts)


    def test_partial_451_nothing_twice(self):
        """One recipient of an alert is refused with 451, the others are
        accepted: the retry must reach the refused one without sending
        the accepted ones the same message again."""
        w = self.new_world()
        w.sink.set_reject('dpo@example.com', 451)
        w.notifier(poll_wait=5)
        incs = self.incidents(1, 'one mailbox greylisted')
        w.wait_until(lambda: len(w.sink.rejected) >= 1, 30,
                     what='a 451 answer for the DPO')
        time.sleep(3)
        w.sink.clear_reject()
        w.wait_settled(90, set(incs), 'delivery after the 451')
        time.sleep(3)
        alerts = [a for a in w.alerts() if a['incident_id'] in incs]
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        self.check_delivery(msgs, alerts, incs, exactly_once=True)


if __name__ == '__main__':
    fixture.main()
