"""A 5xx answer is a permanent failure: the alert becomes `failed` (not
retried), is visible in GET /api/v1/alerts?state=failed with the SMTP
error, and a failure alert goes to the admin list (the settings' admins
and every admin user with an e-mail)."""

import datetime
import email
import email.policy
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import epoch, now  # noqa: E402

REFUSED = ['handler@example.com', 'dpo@example.com', 'security@example.com']


class PermanentFailure(fixture.NotifierCase):

    def test_550_fails_and_tells_admins(self):
        w = self.new_world()
        for r in REFUSED:
            w.sink.set_reject(r, 550)
        w.notifier(poll_wait=5)
        inc = w.incident(now() - datetime.timedelta(minutes=10),
                         title='Mailbox gone')
        iid = inc['id']
        due = [a for a in w.alerts(incident_id=iid)
               if epoch(a['send_at']) <= time.time()]
        self.assertEqual(len(due), 3)
        due_ids = {a['id'] for a in due}

        def all_failed():
            f = {a['id'] for a in w.alerts(state='failed')}
            return due_ids <= f
        w.wait_until(all_failed, 40, what='the refused alerts to be failed')
        failed = {a['id']: a for a in w.alerts(state='failed')}
        for aid in due_ids:
            a = failed[aid]
            self.assertIn('550', a['last_error'] or '', a)
            self.assertEqual(a['attempts'], 1, 'a 5xx must not be retried')
        # the failure notices: one per failed alert, to the admins only
        def notices():
            return [a for a in w.alerts() if a['kind'] == 'failure' and
                    a['state'] == 'sent']
        w.wait_until(lambda: len(notices()) >= len(due_ids), 40,
                     what='the failure notices to be sent')
        time.sleep(3)
        fails = [a for a in w.alerts() if a['kind'] == 'failure']
        self.assertEqual(len(fails), len(due_ids), fails)
        about = set()
        for f in fails:
            self.assertEqual(f['state'], 'sent', f)
            self.assertEqual(f['audience'], ['admins'])
            about.add(f['data']['alert_id'])
        self.assertEqual(about, due_ids)
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in fails}]
        self.check_delivery(msgs, fails, {iid: inc})
        for m in msgs:
            self.assertTrue(set(m.rcpt_tos) <= {'admins@example.com',
                                                 'admin@example.com'}, m)
            plain, _ = self.text_of(m)
            self.assertIn('550', plain, 'the notice does not give the '
                          'SMTP error')
        # nothing for the refused alerts got through, and each refused
        # message was tried once (no retry of a permanent failure)
        self.assertEqual([m for m in w.sink.messages()
                          if fixture.alert_id_of(m) in due_ids], [])
        tries = {}
        for rej in w.sink.rejected:
            mid = str(email.message_from_bytes(
                rej['raw'], policy=email.policy.default)['Message-ID'])
            key = (mid, tuple(sorted(rej['rcpt_tos'])))
            tries[key] = tries.get(key, 0) + 1
        self.assertTrue(tries)
        self.assertEqual({k: v for k, v in tries.items() if v > 1}, {},
                         'a message refused with 550 was sent again')
        # the outbox view for admins shows them; the dpo may read it too
        st, b = w.call('dpo', 'GET', '/api/v1/alerts?state=failed')
        self.assertEqual(st, 200, b)
        self.assertTrue(due_ids <= {a['id'] for a in b['items']})
        st, b = w.call('handler', 'GET', '/api/v1/alerts?state=failed')
        self.assertEqual(st, 403, b)


if __name__ == '__main__':
    fixture.main()
