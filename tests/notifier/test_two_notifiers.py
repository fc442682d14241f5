"""Two notifiers at once against one server: every alert is delivered
exactly once (claims are exclusive while their leases live)."""

import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import now  # noqa: E402

N_INCIDENTS = 30


class TwoNotifiers(fixture.NotifierCase):

    def test_no_duplicates(self):
        # a little latency in the sink so that both workers overlap
        w = self.new_world(sink_kw={'delay': 0.02})
        a = w.notifier('a', poll_wait=5, lease=30)
        b = w.notifier('b', poll_wait=5, lease=30)
        time.sleep(1)
        incs = {}
        for k in range(N_INCIDENTS):
            i = w.incident(now() - datetime.timedelta(minutes=10),
                           title='Shared %d' % k)
            incs[i['id']] = i
        w.wait_settled(90, set(incs), 'everything to be sent')
        time.sleep(3)
        self.assertTrue(a.alive() and b.alive(), w.diag())
        alerts = [x for x in w.alerts() if x['incident_id'] in incs]
        sent = [x for x in alerts if x['state'] == 'sent']
        self.assertEqual(len(sent), 3 * N_INCIDENTS)
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {x['id'] for x in alerts}]
        self.check_delivery(msgs, alerts, incs, exactly_once=True)
        # more arrive while both run, still once each
        more = {}
        for k in range(10):
            i = w.incident(now() - datetime.timedelta(minutes=10),
                           title='Shared late %d' % k)
            more[i['id']] = i
        incs.update(more)
        w.wait_settled(60, set(incs), 'the late incidents to be sent')
        time.sleep(3)
        alerts = [x for x in w.alerts() if x['incident_id'] in incs]
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {x['id'] for x in alerts}]
        self.check_delivery(msgs, alerts, incs, exactly_once=True)
        for n in (a, b):
            self.assertEqual(n.stop(), 0, n.log_path)


if __name__ == '__main__':
    fixture.main()
