"""Hostile text in everything that reaches a message: an incident title
with a fake header, HTML and non-ASCII (the server refuses CR/LF in
titles), and a regime whose name, phase name and recipient carry CR/LF and
injected headers (the server accepts those from an admin).  Every message
must stay well formed: no injected header or recipient, header values
RFC 2047-encoded and decoding to the original minus CR/LF, the HTML part
escaped, the text part intact."""

import datetime
import html
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fixture  # noqa: E402
from fixture import now  # noqa: E402

TITLE = ('Bcc: evil@x <script>alert("x")</script> & Ærø – 東京 '
         '\u00e9t\u00e9 \U0001F4BE "quoted" \'single\' ' + 'é' * 40)
EVIL = {
    'name': 'Evil regime\r\nBcc: evil1@x',
    'phase_name': 'Notice\r\nBcc: evil3@x\r\n\r\n<b>body</b>',
    'recipient': 'Authority\r\nTo: evil2@x',
}


def strip_crlf(s):
    return s.replace('\r', '').replace('\n', '')


class Hostile(fixture.NotifierCase):

    def test_hostile_text_is_contained(self):
        w = self.new_world()
        # the server refuses CR/LF in a title outright
        st, b = w.call('handler', 'POST', '/api/v1/incidents', {
            'title': 'x\r\nBcc: evil@x', 'jurisdictions': [fixture.PLACE],
            'discovered_at': fixture.ts(now())})
        self.assertEqual(st, 400, b)
        w.add_regime('t_evil', 1, name=EVIL['name'],
                     phase_name=EVIL['phase_name'],
                     recipient=EVIL['recipient'])
        w.notifier(poll_wait=5)
        inc = w.incident(now() - datetime.timedelta(minutes=10), title=TITLE,
                         description='Line one\r\nBcc: evil4@x\r\n'
                         '<img src=x onerror=alert(1)>')
        iid = inc['id']
        self.assertEqual(inc['title'], TITLE)
        w.wait_settled(40, {iid}, 'the hostile incident to be sent')
        time.sleep(2)
        alerts = w.alerts(incident_id=iid)
        self.assertTrue(any(a['key'].startswith('obligation:') and
                            a['state'] == 'sent' for a in alerts))
        msgs = [m for m in w.sink.messages()
                if fixture.alert_id_of(m) in {a['id'] for a in alerts}]
        self.assertTrue(msgs)
        self.check_delivery(msgs, alerts, {iid: inc})
        evil_ob = [o for o in w.obligations(iid)
                   if o['regime_id'] == 't_evil']
        self.assertEqual(len(evil_ob), 1)
        evil_alert_ids = {a['id'] for a in alerts
                          if a['obligation_id'] == evil_ob[0]['id']}
        self.assertTrue(evil_alert_ids)
        saw_evil_subject = False
        for m in msgs:
            with self.subTest(message=m.message_id):
                self.check_hostile(m)
                if fixture.alert_id_of(m) in evil_alert_ids:
                    subj = str(m.msg['Subject'])
                    saw_evil_subject |= 'evil3@x' in subj or \
                        'evil2@x' in subj
        sys.stderr.write('hostile: %d messages checked; phase name or '
                         'recipient in a subject: %s\n'
                         % (len(msgs), saw_evil_subject))

    def check_hostile(self, m):
        raw, msg = m.raw, m.msg
        sep = b'\r\n\r\n' if b'\r\n\r\n' in raw else b'\n\n'
        head = raw.split(sep, 1)[0].decode('ascii')
        # no injected header lines, whatever the folding
        unfolded = re.sub(r'\r?\n[ \t]+', ' ', head)
        names = [ln.split(':', 1)[0].strip().lower()
                 for ln in re.split(r'\r?\n', unfolded) if ln]
        self.assertNotIn('bcc', names, head)
        self.assertEqual(names.count('to'), 1, head)
        for ln in re.split(r'\r?\n', unfolded):
            self.assertFalse(re.match(r'(?i)^(bcc|cc|to)\s*:.*evil', ln),
                             'injected header line %r' % ln)
        # nobody evil in the envelope or the address headers
        for r in m.rcpt_tos:
            self.assertNotIn('evil', r.lower())
        for a in fixture.addresses(msg, 'To', 'Cc', 'Bcc', 'Reply-To',
                                   'From', 'Sender'):
            self.assertNotIn('evil', a)
        # decoded header values: no CR/LF; hostile text only CR/LF-stripped
        for k, v in msg.items():
            v = str(v)
            self.assertNotIn('\n', v, k)
            self.assertNotIn('\r', v, k)
        subj = str(msg['Subject'])
        for orig in EVIL.values():
            for evil in re.findall(r'(?:Bcc|To): evil\d@x', orig):
                if evil in subj:
                    before = orig.split('\r')[0]
                    self.assertTrue(
                        strip_crlf(orig).split('\r')[0] in subj or
                        (before + evil) in subj or
                        (before + ' ' + evil) in subj,
                        'subject %r: %r not the original minus CR/LF'
                        % (subj, orig))
        if 'Ærø' in subj or 'script' in subj:
            self.assertIn(TITLE, subj, 'title in the subject mangled')
        # body: the text part has the title verbatim, the HTML escaped
        plain, htm = self.text_of(m)
        self.assertIn(TITLE, plain, 'title not intact in text/plain')
        self.assertNotIn('<script>', htm)
        self.assertNotIn('<b>body</b>', htm)
        self.assertNotIn('<img src=x', htm)
        if 'script' in htm:
            self.assertTrue(html.escape(TITLE, quote=False) in htm or
                            html.escape(TITLE, quote=True) in htm or
                            html.escape(TITLE).replace('&#x27;', '&#39;')
                            in htm, 'title not escaped as a whole in HTML')


if __name__ == '__main__':
    fixture.main()
