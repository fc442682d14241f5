"""SIGTERM: the notifier finishes the message in hand, releases its other
claims and exits 0.  After it is gone no alert is left claimed, every
alert whose mail the SMTP server accepted is acknowledged (so nothing will
be sent twice), and a new notifier delivers the rest exactly once.  An
idle notifier in a long poll exits promptly too."""

import datetime
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import epoch, now  # noqa: E402

N_INCIDENTS = 20
EXIT_WITHIN = 10


class SigTerm(fixture.NotifierCase):

    def test_sigterm_mid_batch(self):
        w = self.new_world(sink_kw={'delay': 0.2})
        incs = {}
        for k in range(N_INCIDENTS):
            i = w.incident(now() - datetime.timedelta(minutes=10),
                           title='Term %d' % k)
            incs[i['id']] = i
        n1 = w.notifier('first', poll_wait=5, lease=120)
        w.wait_until(lambda: w.sink.count() >= 5, 60,
                     what='the batch to be under way')
        t = time.monotonic()
        n1.send_signal(signal.SIGTERM)
        rc = n1.wait(EXIT_WITHIN + 5)
        took = time.monotonic() - t
        self.assertEqual(rc, 0, 'exit status on SIGTERM (log %s)'
                         % n1.log_path)
        self.assertLessEqual(took, EXIT_WITHIN)
        alerts = w.alerts()
        claimed = [a for a in alerts if a['state'] == 'claimed']
        self.assertEqual(claimed, [], 'claims not released on SIGTERM')
        pending = [a for a in alerts if a['incident_id'] in incs and
                   a['state'] == 'queued' and
                   epoch(a['send_at']) <= time.time()]
        self.assertTrue(pending, 'the batch finished before SIGTERM; '
                        'nothing to test')
        # released claims keep their attempt count (nothing was tried)
        for a in pending:
            self.assertEqual(a['attempts'], 0, a)
        # everything accepted by the SMTP server is acknowledged
        amap = {a['id']: a for a in alerts}
        for m in w.sink.messages():
            aid = fixture.alert_id_of(m)
            self.assertEqual(amap[aid]['state'], 'sent',
                             '%r accepted but its alert is %s: it will be '
                             'sent again' % (m, amap[aid]['state']))
        # a new notifier delivers the rest, once
        w.notifier('second', poll_wait=5)
        w.wait_settled(90, set(incs), 'the rest to be sent')
        time.sleep(2)
        alerts = [a for a in w.alerts() if a['incident_id'] in incs]
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        self.check_delivery(msgs, alerts, incs, exactly_once=True)

    def test_sigterm_idle_in_long_poll(self):
        w = self.new_world()
        n = w.notifier(poll_wait=60)
        time.sleep(3)
        self.assertTrue(n.alive(), n.log_text())
        t = time.monotonic()
        n.send_signal(signal.SIGTERM)
        rc = n.wait(EXIT_WITHIN + 60)
        took = time.monotonic() - t
        self.assertEqual(rc, 0, n.log_text())
        self.assertLessEqual(took, EXIT_WITHIN, 'SIGTERM during a 60 s '
                             'long poll took %.1f s' % took)
        self.assertEqual([a for a in w.alerts() if a['state'] == 'claimed'],
                         [])


if __name__ == '__main__':
    fixture.main()
