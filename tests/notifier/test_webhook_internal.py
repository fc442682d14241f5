"""A webhook whose host NAME resolves to an internal address.

The server checks a webhook's host only as written (a literal loopback,
private, ... address or localhost is refused without
--allow-internal-webhooks); a name is accepted unresolved.  The notifier
checks every address it connects a webhook to: without its own
--allow-internal-webhooks a name that resolves to a loopback address gets
no connection (the receiver sees nothing), the alert fails with
"webhook 0: webhook: refused: <host> resolves to an internal address" and
is retried later by the server like any webhook failure.  With the flag
the same webhook is delivered.

The name is this machine's host name, which resolves to a loopback address
(127.0.0.1, or Debian's 127.0.1.1) through /etc/hosts; the receiver
listens on that address.
"""

import datetime
import http.server
import json
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import now  # noqa: E402

REFUSED = 'resolves to an internal address'


class Receiver:
    """An HTTP server that records every request made to it."""

    def __init__(self, addr):
        self.requests = []
        rec = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                n = int(self.headers.get('Content-Length') or 0)
                rec.requests.append((self.path, self.rfile.read(n)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer((addr, 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def loopback_name():
    """This host's name and the IPv4 loopback address it resolves to."""
    name = socket.gethostname()
    addrs = {ai[4][0] for ai in socket.getaddrinfo(
        name, 80, socket.AF_INET, socket.SOCK_STREAM)}
    loop = sorted(a for a in addrs if a.startswith('127.'))
    if not loop or name.lower().split('.')[-1] == 'localhost':
        raise AssertionError('the host name %r must resolve to a loopback '
                             'address (it gives %r)' % (name, addrs))
    return name, loop[0]


class WebhookInternal(fixture.NotifierCase):

    def setUp(self):
        self.name, addr = loopback_name()
        self.recv = Receiver(addr)
        self.addCleanup(self.recv.stop)
        self.url = 'http://%s:%d/hook/secret' % (self.name, self.recv.port)

    def world_with_hook(self):
        # the server (without --allow-internal-webhooks) takes the name
        return self.new_world(sink=False, escalation_extra={
            'webhooks': [{'url': self.url, 'format': 'json'}]})

    def test_name_resolving_to_loopback_is_refused(self):
        w = self.world_with_hook()
        n = w.notifier(smtp=False, poll_wait=5)
        inc = w.incident(now() - datetime.timedelta(minutes=10),
                         title='Hooked to loopback')

        def refused():
            return [a for a in w.alerts(incident_id=inc['id'])
                    if REFUSED in (a['last_error'] or '')]
        w.wait_until(lambda: refused() or self.recv.requests, 40,
                     what='a refused webhook on record')
        time.sleep(2)
        self.assertEqual(self.recv.requests, [],
                         'the webhook reached an internal address')
        got = refused()
        for a in got:
            err = a['last_error']
            self.assertIn('webhook 0: webhook: refused: %s %s' % (
                self.name, REFUSED), err)
            self.assertNotIn('secret', err, 'the URL path is secret')
            self.assertNotEqual(a['state'], 'sent', a)
            self.assertNotEqual(a['state'], 'failed',
                                'a refused webhook is retried, not '
                                'failed for good: %r' % a)
            self.assertGreaterEqual(a['attempts'], 1, a)
        self.assertTrue(n.alive(), 'the notifier died')
        self.assertIn(REFUSED, n.log_text())

    def test_allowed_with_the_flag(self):
        w = self.world_with_hook()
        w.notifier(smtp=False, poll_wait=5,
                   extra=['--allow-internal-webhooks'])
        inc = w.incident(now() - datetime.timedelta(minutes=10),
                         title='Hooked to loopback, allowed')
        w.wait_settled(40, {inc['id']}, 'the alerts with their webhook')
        sent = [a for a in w.alerts(incident_id=inc['id'])
                if a['state'] == 'sent']
        self.assertTrue(sent, w.alerts(incident_id=inc['id']))
        self.assertGreaterEqual(len(self.recv.requests), len(sent))
        ids = set()
        for path, body in self.recv.requests:
            self.assertEqual(path, '/hook/secret')
            ids.add(json.loads(body)['id'])
        self.assertTrue({a['id'] for a in sent} <= ids,
                        (sent, self.recv.requests))


if __name__ == '__main__':
    fixture.main()
