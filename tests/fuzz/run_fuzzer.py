"""
run_fuzzer: run one libFuzzer binary for a bounded time, as the meson test
fuzz-run/<name>.

    run_fuzzer.py FUZZER NAME KEPT_CORPUS BUILD_DIR SECONDS

New interesting inputs go to BUILD_DIR/fuzz-corpus/NAME (libFuzzer's first
corpus directory; the kept corpus tests/fuzz/corpus/NAME is only read), a
crash to BUILD_DIR/fuzz-artifacts/NAME-crash-<sha1>.  Prints the run's
figures (executions, corpus size, coverage) and exits non-zero when the
fuzzer found a crash, a leak or a timeout: copy the artifact into
tests/fuzz/corpus/NAME/ when fixing it, so the replay keeps it for ever.
"""

import os
import re
import subprocess
import sys


def main():
    fuzzer, name, kept, build, seconds = sys.argv[1:6]
    work = os.path.join(build, 'fuzz-corpus', name)
    artifacts = os.path.join(build, 'fuzz-artifacts')
    os.makedirs(work, exist_ok=True)
    os.makedirs(artifacts, exist_ok=True)
    dicts = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                         'dict', name + '.dict')
    cmd = [fuzzer, '-max_total_time=' + seconds, '-timeout=10',
           '-rss_limit_mb=2048', '-max_len=65536', '-print_final_stats=1',
           '-artifact_prefix=' + os.path.join(artifacts, name + '-')]
    if os.path.exists(dicts):
        cmd.append('-dict=' + dicts)
    cmd += [work, kept]
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=1:abort_on_error=1')
    env.setdefault('UBSAN_OPTIONS', 'halt_on_error=1:print_stacktrace=1')
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, errors='replace', env=env)
    out = p.stdout
    sys.stdout.write(out[-20000:])
    execs = re.findall(r'stat::number_of_executed_units:\s*(\d+)', out)
    cov = re.findall(r'cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)', out)
    found = sorted(f for f in os.listdir(artifacts) if f.startswith(name))
    print('\nfuzz %s: %s executions in %s s, corpus %s inputs (%s), '
          'coverage %s edges / %s features, exit %d, artifacts: %s' % (
              name, execs[-1] if execs else '?', seconds,
              cov[-1][2] if cov else '?', cov[-1][3] if cov else '?',
              cov[-1][0] if cov else '?', cov[-1][1] if cov else '?',
              p.returncode, ', '.join(found) or 'none'))
    return 0 if p.returncode == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
