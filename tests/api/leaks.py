"""
leaks: what an error body must never show.  A problem document is for the
person who made the request: no stack trace, no SQL, no file path, no
library error text.  leaks(body) lists what it finds.
"""

import re

PATTERNS = [
    ('SQL', re.compile(r'\b(SELECT|INSERT|UPDATE|DELETE)\b.*\b(FROM|INTO|SET|'
                       r'WHERE)\b|\bsqlite|\bSQLITE_|PRAGMA|no such (table|'
                       r'column)|constraint failed|syntax error', re.I)),
    ('path', re.compile(r'(^|[\s"\'=(])/(tmp|var|usr|etc|home|root|work|'
                        r'proc|dev|srv|opt|lib)\b|[\w.-]+\.(c|h|db|sqlite|'
                        r'so|py)\b(:\d+)?|\\\\', re.I)),
    ('stack trace', re.compile(r'Traceback|\bat 0x[0-9a-f]+|#\d+ 0x[0-9a-f]+'
                               r'|AddressSanitizer|backtrace|segfault|'
                               r'abort\(|assert(ion)? failed', re.I)),
    ('system error', re.compile(r'\berrno\b|No such file|Permission denied|'
                                r'disk I/O error|database is locked|'
                                r'readonly database|out of memory|'
                                r'database or disk is full|strerror',
                                re.I)),
]


def leaks(body, sent=()):
    """Names of the kinds of internals that body (bytes, str or JSON value)
    shows, with the matching text; [] when clean.  Strings in sent (what
    the request itself carried, which a detail may quote) are ignored."""
    if isinstance(body, bytes):
        body = body.decode('utf-8', 'replace')
    if not isinstance(body, str):
        import json
        body = json.dumps(body)
    for s in sent:
        if s:
            body = body.replace(s, '')
    out = []
    for name, rx in PATTERNS:
        m = rx.search(body)
        if m:
            out.append('%s: %r' % (name, m.group(0)))
    return out
