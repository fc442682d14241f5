"""The manual pages tell the truth about the binaries: every option and
command in `--help` and every setting of the config parsers appears in
the page, and `mandoc -T lint` finds nothing to warn about.

usage: test_manpages.py BREACHCLOCKD BREACHCLOCK_NOTIFIER
Needs mandoc (in .ci/packages); a missing mandoc fails the test."""

import os
import re
import shutil
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DOCS = os.path.join(REPO, 'docs')
BINS = {}


def mandoc():
    path = shutil.which('mandoc')
    if path is None:
        raise AssertionError('mandoc is missing: run .ci/install-deps (it '
                             'is in .ci/packages)')
    return path


def rendered(page):
    """The page as plain text (no overstriking)."""
    p = subprocess.run([mandoc(), '-T', 'ascii', '-O', 'width=200',
                        os.path.join(DOCS, page)], capture_output=True,
                       check=True)
    return re.sub(rb'.\x08', b'', p.stdout).decode()


def help_text(binary):
    p = subprocess.run([BINS[binary], '--help'], capture_output=True,
                       text=True, timeout=30,
                       env={k: v for k, v in os.environ.items()
                            if not k.startswith('BREACHCLOCK')})
    if p.returncode != 0:
        raise AssertionError('%s --help: exit %d' % (binary, p.returncode))
    return p.stdout


def source_keys(path, pattern):
    with open(os.path.join(REPO, path)) as f:
        keys = re.findall(pattern, f.read())
    if len(keys) < 5:
        raise AssertionError('cannot read the settings of ' + path)
    return keys


class ManPages(unittest.TestCase):

    def check(self, binary, page, keys):
        text = rendered(page)
        usage = help_text(binary)
        flags = set(re.findall(r'--[a-z0-9][a-z0-9-]*', usage))
        self.assertGreater(len(flags), 10, usage)
        for flag in sorted(flags | {'--help', '--version'}):
            self.assertTrue(re.search(r'(?<![a-z0-9-])%s(?![a-z0-9-])'
                                      % re.escape(flag), text),
                            '%s does not mention %s' % (page, flag))
        # commands: "breachclockd user add ..." lines of the usage
        for cmd in re.findall(r'^\s+(?:usage: )?%s ((?:[a-z]+ ?){1,2})'
                              % re.escape(binary), usage, re.M):
            cmd = cmd.strip()
            self.assertTrue('%s %s' % (binary, cmd) in text,
                            '%s does not mention %s %s' % (page, binary, cmd))
        # every setting, by name (a flag or a config-file key)
        for k in keys:
            self.assertTrue(re.search(r'(?<![a-z0-9-])(--)?%s(?![a-z0-9-])'
                                      % re.escape(k), text),
                            '%s does not mention setting %s' % (page, k))
        # the environment variable of every server setting
        if binary == 'breachclockd':
            for env in source_keys('server/config.c',
                                   r'"(BREACHCLOCK_[A-Z0-9_]+)"'):
                self.assertTrue(env in text, '%s does not mention %s'
                                % (page, env))

    def test_breachclockd(self):
        self.check('breachclockd', 'breachclockd.8', source_keys(
            'server/config.c', r'\{ "([a-z0-9-]+)", "BREACHCLOCK_'))

    def test_notifier(self):
        self.check('breachclock-notifier', 'breachclock-notifier.8',
                   source_keys('notifier/config.c',
                               r'\{ "([a-z0-9-]+)",\s+OPT_'))

    def test_lint(self):
        for page in ('breachclockd.8', 'breachclock-notifier.8'):
            p = subprocess.run([mandoc(), '-T', 'lint', '-W', 'warning',
                                os.path.join(DOCS, page)],
                               capture_output=True, text=True)
            self.assertEqual((p.returncode, p.stdout + p.stderr), (0, ''),
                             page)


if __name__ == '__main__':
    BINS['breachclockd'] = sys.argv.pop(1)
    BINS['breachclock-notifier'] = sys.argv.pop(1)
    unittest.main(verbosity=2)
