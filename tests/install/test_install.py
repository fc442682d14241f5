"""`meson install --destdir` into a temporary directory, then check the
installed tree: the binaries run, the web root, templates and man pages
are in place, the config files hold every setting (documented) and are
accepted by the installed programs, the systemd units pass
`systemd-analyze verify` and a sandbox check, and the sysusers.d file
makes its user.

usage: test_install.py BUILD_DIR
Needs systemd (systemd-analyze, systemd-sysusers) and man-db (`man`),
which .ci/packages installs; a missing tool fails the test."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BUILD = None
DEST = None
FILES = {}   # installed path (without DESTDIR) -> path in DEST

# Hardening every unit must keep (directive -> value).
HARDENING = {
    'NoNewPrivileges': 'yes',
    'CapabilityBoundingSet': '',
    'ProtectSystem': 'strict',
    'ProtectHome': 'yes',
    'PrivateTmp': 'yes',
    'PrivateDevices': 'yes',
    'MemoryDenyWriteExecute': 'yes',
    'RestrictNamespaces': 'yes',
    'RestrictSUIDSGID': 'yes',
    'LockPersonality': 'yes',
    'SystemCallFilter': '@system-service',
    'SystemCallArchitectures': 'native',
    'UMask': '0077',
}
MAX_EXPOSURE = 2.0   # systemd-analyze security, 0 (best) .. 10


def need(tool):
    path = shutil.which(tool)
    if path is None:
        raise AssertionError('%s is missing: run .ci/install-deps (it is in '
                             '.ci/packages)' % tool)
    return path


def setUpModule():
    global DEST
    DEST = tempfile.mkdtemp(prefix='bc-install-')
    p = subprocess.run(['meson', 'install', '-C', BUILD, '--destdir', DEST,
                        '--no-rebuild', '--quiet'], capture_output=True,
                       text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError('meson install failed:\n%s%s' % (p.stdout,
                                                              p.stderr))
    with open(os.path.join(BUILD, 'meson-info', 'intro-installed.json')) as f:
        installed = json.load(f)
    for dst in installed.values():
        FILES[dst] = DEST + dst
    for root, _, names in os.walk(DEST):
        for n in names:
            full = os.path.join(root, n)
            FILES.setdefault(full[len(DEST):], full)


def tearDownModule():
    shutil.rmtree(DEST, ignore_errors=True)


def find(suffix):
    """The one installed file whose path ends with suffix."""
    hits = [k for k in FILES if k.endswith(suffix)]
    if len(hits) != 1:
        raise AssertionError('%s: installed %d times: %r' % (suffix,
                                                             len(hits), hits))
    return hits[0]


def run(args, **kw):
    kw.setdefault('timeout', 60)
    return subprocess.run(args, capture_output=True, text=True, **kw)


def free_env():
    return {k: v for k, v in os.environ.items()
            if not k.startswith('BREACHCLOCK')}


def setting_keys(source, pattern):
    with open(os.path.join(REPO, source)) as f:
        keys = re.findall(pattern, f.read())
    if len(keys) < 5:
        raise AssertionError('cannot read the settings of %s' % source)
    return keys


def server_keys():
    return setting_keys('server/config.c', r'\{ "([a-z0-9-]+)", "BREACHCLOCK_')


def notifier_keys():
    return setting_keys('notifier/config.c', r'\{ "([a-z0-9-]+)",\s+OPT_')


def uncommented(path, out):
    """A copy of a config file with every '#key = value' (non-empty value)
    made a setting: the documented defaults must all be valid."""
    lines = []
    with open(path) as f:
        for line in f:
            m = re.match(r'^#([a-z0-9-]+) = (\S.*)$', line)
            lines.append('%s = %s\n' % m.groups() if m else line)
    with open(out, 'w') as f:
        f.writelines(lines)
    return out


class Installed(unittest.TestCase):

    def test_binaries_run(self):
        for name in ('breachclockd', 'breachclock-notifier'):
            path = find('/sbin/' + name)
            st = os.stat(FILES[path])
            self.assertTrue(st.st_mode & 0o111, path)
            p = run([FILES[path], '--help'], env=free_env())
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertIn('usage: ' + name, p.stdout)
            p = run([FILES[path], '--version'], env=free_env())
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertRegex(p.stdout, r'^%s \d+\.\d+\.\d+\n' % name)

    def test_data_and_man_pages(self):
        web = find('/share/breachclock/web/index.html')
        self.assertTrue(os.path.getsize(FILES[web]) > 0)
        for kind in ('ico_report', 'art34_letter', 'controller_notice',
                     'regulator_notice'):
            for ext in ('txt', 'md', 'html'):
                find('/share/breachclock/templates/%s.%s' % (kind, ext))
        for page in ('breachclockd.8', 'breachclock-notifier.8'):
            find('/man8/' + page)

    def test_config_files_document_every_setting(self):
        for conf, keys in (('/breachclock/breachclockd.conf', server_keys()),
                           ('/breachclock/notifier.conf', notifier_keys())):
            with open(FILES[find(conf)]) as f:
                text = f.read()
            self.assertIsNone(re.search(r'@[a-z_]+@', text),
                              conf + ': unsubstituted')
            for k in keys:
                m = re.search(r'((?:^#[^\n]*\n)+)#?%s =' % re.escape(k),
                              text, re.M)
                self.assertIsNotNone(m, '%s: no documented line for %s'
                                     % (conf, k))

    def serve(self, conf, tmp):
        """Start the installed server with the installed config (paths to
        the destdir copies given as flags)."""
        share = os.path.dirname(FILES[find(
            '/share/breachclock/web/index.html')])
        tmpl = os.path.dirname(FILES[find(
            '/share/breachclock/templates/ico_report.txt')])
        proc = subprocess.Popen([
            FILES[find('/sbin/breachclockd')], '--config', conf,
            '--db', os.path.join(tmp, 'bc.db'), '--listen', '127.0.0.1:0',
            '--web-root', share, '--template-dir', tmpl],
            stderr=subprocess.PIPE, text=True, env=free_env())
        deadline = time.monotonic() + 20
        for line in proc.stderr:
            m = re.search(r'msg=listening url="?http://127\.0\.0\.1:(\d+)',
                          line)
            if m:
                # keep reading its log so that it never blocks on it
                threading.Thread(target=proc.stderr.read,
                                 daemon=True).start()
                return proc, int(m.group(1))
            if time.monotonic() > deadline:
                break
        proc.kill()
        proc.wait()
        raise AssertionError('installed server did not start')

    def stop(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(30), 0)
        proc.stderr.close()

    def test_installed_config_runs_server_and_notifier(self):
        tmp = tempfile.mkdtemp(prefix='bc-installed-')
        try:
            conf = FILES[find('/breachclock/breachclockd.conf')]
            full = uncommented(conf, os.path.join(tmp, 'all.conf'))
            for c in (conf, full):
                proc, port = self.serve(c, tmp)
                try:
                    for path, want in (('/healthz', b'"ok"'),
                                       ('/', b'<html')):
                        with urllib.request.urlopen(
                                'http://127.0.0.1:%d%s' % (port, path),
                                timeout=10) as r:
                            self.assertEqual(r.status, 200)
                            self.assertIn(want, r.read().lower())
                finally:
                    self.stop(proc)
            bin_ = FILES[find('/sbin/breachclockd')]
            db = os.path.join(tmp, 'bc.db')
            for args in (['user', 'add', '--name', 'mailer', '--role',
                          'notifier'], ['token', 'create', '--user',
                                        'mailer']):
                p = run([bin_] + args + ['--config', conf, '--db', db],
                        env=free_env())
                self.assertEqual(p.returncode, 0, p.stderr)
            token = os.path.join(tmp, 'token')
            with open(token, 'w') as f:
                f.write(p.stdout)
            proc, port = self.serve(conf, tmp)
            try:
                nconf = FILES[find('/breachclock/notifier.conf')]
                for c in (nconf, uncommented(nconf, os.path.join(
                        tmp, 'notifier-all.conf'))):
                    p = run([FILES[find('/sbin/breachclock-notifier')],
                             '--config', c, '--server',
                             'http://127.0.0.1:%d' % port, '--token-file',
                             token, '--spool', os.path.join(tmp, 'spool'),
                             '--poll-wait', '0', '--once'], env=free_env())
                    self.assertEqual(p.returncode, 0, p.stderr)
            finally:
                self.stop(proc)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_units(self):
        analyze = need('systemd-analyze')
        need('man')
        mandir = os.path.dirname(os.path.dirname(FILES[find(
            '/man8/breachclockd.8')]))
        tmp = tempfile.mkdtemp(prefix='bc-units-')
        try:
            for unit in ('breachclockd.service',
                         'breachclock-notifier.service'):
                path = find('/system/' + unit)
                with open(FILES[path]) as f:
                    text = f.read()
                self.assertIsNone(re.search(r'@[a-z_]+@', text), unit)
                d = {}
                for line in text.splitlines():
                    m = re.match(r'^([A-Za-z]+)=(.*)$', line)
                    if m:
                        d.setdefault(m.group(1), []).append(m.group(2))
                for k, v in HARDENING.items():
                    self.assertIn(v, d.get(k, []), '%s: %s=%s' % (unit, k, v))
                self.assertTrue(d.get('User') == ['breachclock'] or
                                d.get('DynamicUser') == ['yes'], unit)
                self.assertIn('breachclock' + (
                    '' if unit == 'breachclockd.service' else '-notifier'),
                    d.get('StateDirectory', []))
                exe = d['ExecStart'][0].split()[0]
                self.assertIn(exe, FILES, unit + ': ExecStart not installed')
                # The installed unit, but with ExecStart in the destdir,
                # and its man page found through MANPATH.
                local = os.path.join(tmp, unit)
                with open(local, 'w') as f:
                    f.write(text.replace('ExecStart=' + exe,
                                         'ExecStart=' + FILES[exe]))
                env = dict(os.environ, MANPATH=mandir)
                p = run([analyze, 'verify', local], env=env)
                self.assertEqual((p.returncode, p.stdout + p.stderr),
                                 (0, ''), unit)
                p = run([analyze, 'security', '--offline=yes', local],
                        env=env)
                m = re.search(r'Overall exposure level for \S+: ([0-9.]+)',
                              p.stdout + p.stderr)
                self.assertIsNotNone(m, p.stdout + p.stderr)
                self.assertLessEqual(float(m.group(1)), MAX_EXPOSURE,
                                     p.stdout)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_sysusers(self):
        sysusers = need('systemd-sysusers')
        conf = find('/sysusers.d/breachclock.conf')
        root = tempfile.mkdtemp(prefix='bc-sysusers-')
        try:
            os.makedirs(os.path.join(root, 'etc'))
            p = run([sysusers, '--root', root, FILES[conf]])
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(os.path.join(root, 'etc', 'passwd')) as f:
                passwd = f.read()
            self.assertRegex(passwd, r'(?m)^breachclock:x:\d+:\d+:[^:]*:'
                             r'/var/lib/breachclock:')
        finally:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    BUILD = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=2)
