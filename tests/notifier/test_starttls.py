"""STARTTLS with a self-signed certificate (made with `openssl req` in a
temporary directory): delivered over TLS when the notifier is told to
trust it (--smtp-ca-file); refused when it is not trusted, when it names
another host, and when the server does not offer STARTTLS at all (no
silent fallback to plain text)."""

import datetime
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import epoch, now  # noqa: E402

WAIT_REFUSED = 15


def make_cert(folder, cn='localhost', san='DNS:localhost,IP:127.0.0.1'):
    os.makedirs(folder, exist_ok=True)
    cert = os.path.join(folder, 'cert.pem')
    key = os.path.join(folder, 'key.pem')
    subprocess.run(['openssl', 'req', '-x509', '-newkey', 'rsa:2048',
                    '-nodes', '-days', '2', '-subj', '/CN=' + cn,
                    '-addext', 'subjectAltName=' + san,
                    '-keyout', key, '-out', cert],
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return cert, key


class StartTls(fixture.NotifierCase):

    def world_with_cert(self, tls=True, **cert_kw):
        import tempfile
        d = tempfile.mkdtemp(prefix='bc-cert-')
        self.addCleanup(lambda: __import__('shutil').rmtree(d, True))
        cert, key = make_cert(d, **cert_kw)
        kw = {'tls_cert': cert, 'tls_key': key} if tls else {}
        w = self.new_world(sink_kw=kw)
        return w, cert

    def one_incident(self, w):
        i = w.incident(now() - datetime.timedelta(minutes=10),
                       title='TLS check')
        return {i['id']: i}

    def trusted(self, host, **cert_kw):
        w, cert = self.world_with_cert(**cert_kw)
        w.notifier(tls='starttls', ca_file=cert, poll_wait=5, smtp_host=host)
        incs = self.one_incident(w)
        w.wait_settled(40, set(incs), 'delivery over STARTTLS')
        time.sleep(1)
        alerts = w.alerts(incident_id=list(incs)[0])
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        self.assertTrue(msgs)
        self.check_delivery(msgs, alerts, incs)
        for m in msgs:
            self.assertTrue(m.tls, '%r accepted without TLS' % m)

    def test_trusted_self_signed(self):
        """--smtp-host localhost, certificate for DNS:localhost."""
        self.trusted('localhost', cn='localhost', san='DNS:localhost')

    def test_trusted_self_signed_ip_address(self):
        """--smtp-host 127.0.0.1, certificate with subjectAltName
        IP:127.0.0.1 (RFC 6125 / 5280: an IP address is matched against
        the iPAddress names)."""
        self.trusted('127.0.0.1')

    def assert_refused(self, w, incs, why):
        iid = list(incs)[0]

        def tried():
            al = [a for a in w.alerts(incident_id=iid)
                  if epoch(a['send_at']) <= time.time()]
            return al and all(a['attempts'] >= 1 and
                              a['state'] in ('queued', 'failed')
                              for a in al)
        w.wait_until(tried, 40, what='every alert to be tried (%s)' % why)
        time.sleep(WAIT_REFUSED - 10 if WAIT_REFUSED > 10 else 0)
        self.assertEqual(w.sink.messages(), [],
                         'a message was accepted although ' + why)
        for a in w.alerts(incident_id=iid):
            self.assertNotEqual(a['state'], 'sent', a)
            if a['attempts']:
                self.assertTrue(a['last_error'], a)

    def test_untrusted_self_signed_refused(self):
        w, cert = self.world_with_cert()
        w.notifier(tls='starttls', poll_wait=5)   # no --smtp-ca-file
        incs = self.one_incident(w)
        self.assert_refused(w, incs, 'the certificate is not trusted')

    def test_wrong_host_name_refused(self):
        w, cert = self.world_with_cert(cn='mail.other.example',
                                       san='DNS:mail.other.example')
        w.notifier(tls='starttls', ca_file=cert, poll_wait=5)
        incs = self.one_incident(w)
        self.assert_refused(w, incs, 'the certificate names another host')

    def test_no_plaintext_fallback(self):
        w, cert = self.world_with_cert(tls=False)
        w.notifier(tls='starttls', ca_file=cert, poll_wait=5)
        incs = self.one_incident(w)
        self.assert_refused(w, incs, 'the server offers no STARTTLS '
                            '(--smtp-tls starttls must not fall back)')


if __name__ == '__main__':
    fixture.main()
