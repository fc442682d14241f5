"""The notifier is killed with SIGKILL in the middle of a batch and
restarted: nothing is lost (the dead worker's leases expire and its claims
are taken again).  A message accepted just before the kill but not yet
acknowledged may be sent again -- then only under the same Message-ID."""

import datetime
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import epoch, now  # noqa: E402

LEASE = 5
N_INCIDENTS = 25     # x (reported, assigned, applies) = 75 alerts


class SigKill(fixture.NotifierCase):

    def test_sigkill_mid_batch_nothing_lost(self):
        # A slow sink (0.1 s per message) makes the batch last ~15 s.
        w = self.new_world(sink_kw={'delay': 0.1})
        incs = {}
        for k in range(N_INCIDENTS):
            i = w.incident(now() - datetime.timedelta(minutes=10),
                           title='Batch %d' % k)
            incs[i['id']] = i
        due = [a for a in w.alerts() if a['incident_id'] in incs and
               epoch(a['send_at']) <= time.time()]
        self.assertEqual(len(due), 3 * N_INCIDENTS)
        n1 = w.notifier('first', poll_wait=5, lease=LEASE)
        w.wait_until(lambda: w.sink.count() >= 15, 60,
                     what='the batch to be under way')
        n1.send_signal(signal.SIGKILL)
        self.assertEqual(n1.wait(5), -signal.SIGKILL)
        at_kill = w.alerts()
        claimed = [a for a in at_kill if a['state'] == 'claimed']
        sent_at_kill = [a for a in at_kill if a['state'] == 'sent']
        pending = [a for a in at_kill if a['incident_id'] in incs and
                   a['state'] in ('queued', 'claimed') and
                   epoch(a['send_at']) <= time.time()]
        self.assertTrue(pending, 'the batch finished before the kill; '
                        'nothing to test')
        self.assertTrue(sent_at_kill, 'nothing acknowledged before the kill')
        w.notifier('second', poll_wait=5, lease=LEASE)
        w.wait_settled(120, set(incs), 'everything to be sent after the '
                       'restart')
        time.sleep(2)
        alerts = [a for a in w.alerts() if a['incident_id'] in incs]
        for a in alerts:
            if epoch(a['send_at']) <= time.time():
                self.assertEqual(a['state'], 'sent', a)
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        by_alert, dups = self.check_delivery(msgs, alerts, incs,
                                             exactly_once=False)
        # A duplicate is only possible for an alert that was in flight
        # (claimed by the dead worker) when it died.
        in_flight = {a['id'] for a in claimed}
        for (mid, rcpt), ms in dups.items():
            self.assertIn(fixture.alert_id_of(ms[0]), in_flight,
                          '%s to %s received %d times, but its alert was '
                          'not in flight at the kill' % (mid, rcpt, len(ms)))
        sys.stderr.write('sigkill: %d alerts claimed at the kill, %d '
                         'duplicate deliveries (same Message-ID)\n'
                         % (len(claimed), sum(len(v) - 1
                                              for v in dups.values())))


if __name__ == '__main__':
    fixture.main()
