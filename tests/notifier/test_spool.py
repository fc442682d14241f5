"""Without --smtp-host the notifier writes each message as an RFC 5322
.eml file into the spool directory (atomically, through tmp/), and
acknowledges the alert with its Message-ID."""

import datetime
import email
import email.policy
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import now  # noqa: E402


class Eml:
    """A spooled file, shaped like smtp_sink.Received for the checks."""

    def __init__(self, path):
        self.path = path
        with open(path, 'rb') as f:
            self.raw = f.read()
        self.msg = email.message_from_bytes(self.raw,
                                            policy=email.policy.default)
        self.received_at = os.stat(path).st_mtime
        self.rcpt_tos = sorted(fixture.addresses(self.msg, 'To', 'Cc'))

    @property
    def message_id(self):
        v = self.msg['Message-ID']
        return str(v).strip() if v is not None else None

    def __repr__(self):
        return '<Eml %s %s>' % (os.path.basename(self.path),
                                self.message_id)


class Spool(fixture.NotifierCase):

    def test_spool_writes_eml(self):
        w = self.new_world(sink=False)
        spool = os.path.join(w.tmp, 'spool')
        w.notifier(smtp=False, spool=spool, poll_wait=5)
        incs = {}
        for k in range(3):
            i = w.incident(now() - datetime.timedelta(minutes=10),
                           title='Spooled %d' % k)
            incs[i['id']] = i
        w.wait_settled(40, set(incs), 'the spooled alerts')
        time.sleep(1)
        names = sorted(os.listdir(spool))
        files = [n for n in names if os.path.isfile(os.path.join(spool, n))]
        self.assertTrue(files, 'nothing in the spool')
        for n in files:
            self.assertTrue(n.endswith('.eml'), 'not a .eml file: %r' % n)
        if os.path.isdir(os.path.join(spool, 'tmp')):
            self.assertEqual(os.listdir(os.path.join(spool, 'tmp')), [],
                             'leftovers in spool/tmp')
        emls = [Eml(os.path.join(spool, n)) for n in files]
        alerts = [a for a in w.alerts() if a['incident_id'] in incs]
        mine = [e for e in emls if fixture.alert_id_of(e) in
                {a['id'] for a in alerts}]
        self.check_delivery(mine, alerts, incs, exactly_once=True)
        # CRLF line endings or LF: either parses; no bare CR
        for e in emls:
            self.check_message(e)


if __name__ == '__main__':
    fixture.main()
