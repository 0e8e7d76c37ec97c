#!/usr/bin/env python3
"""Records what Dovecot answers for each corpus message, as the expected outputs of CorpusTest.

APPENDs every ../corpus/*.eml to a scratch mailbox of a Dovecot test account and writes
../corpus/NAME.dovecot: one line per FETCH item, "ITEM<TAB>base64(value bytes)" ("NO" when Dovecot
refuses the item, e.g. BINARY of an unknown transfer encoding; "NIL" for NIL). Values are the raw
bytes after the item name, literals unwrapped. Differences we keep on purpose are listed in
../corpus/DIFFERENCES.txt and applied by the test, not here.

Usage: python3 record.py [host port user password]   (defaults: 127.0.0.1 10143 user99 pass)
"""
import base64, glob, imaplib, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', 'corpus')
host, port, user, password = (sys.argv[1:5] + [None] * 4)[:4]
host, port = host or '127.0.0.1', int(port or 10143)
user, password = user or 'user99', password or 'pass'

ITEMS = ['BODYSTRUCTURE', 'BODY', 'ENVELOPE']
SECTIONS = ['', 'HEADER', 'TEXT', '1', '1.MIME', '1.HEADER', '1.TEXT', '2', '2.MIME', '2.HEADER', '2.TEXT',
            '2.1', '2.2', '2.1.MIME', '2.2.MIME', '3', '3.MIME', '1.1', '1.2', '1.1.MIME', '4',
            'HEADER.FIELDS (FROM SUBJECT RECEIVED comments)', 'HEADER.FIELDS.NOT (RECEIVED FROM)',
            '2.HEADER.FIELDS (SUBJECT FROM)', '1.HEADER.FIELDS (SUBJECT)']
BINARY = ['1', '2', '3', '2.1', '2.2']

def raw_response(data):
    out = b''
    for d in data:
        if isinstance(d, tuple):
            out += d[0] + b'\r\n' + d[1]
        elif d is not None:
            out += d
    return out

def value_after(resp, name):
    """The bytes of the value that follows 'name ' in a FETCH response."""
    i = resp.index(name.encode() + b' ') + len(name) + 1
    if resp[i:i + 3] == b'NIL':
        return None
    m = re.match(rb'~?\{(\d+)\}\r\n', resp[i:])
    if m:
        start = i + m.end()
        return resp[start:start + int(m.group(1))]
    if resp[i:i + 1] == b'"':
        j = i + 1
        while resp[j:j + 1] != b'"':
            j += 2 if resp[j:j + 1] == b'\\' else 1
        return resp[i + 1:j]
    # a parenthesised structure or a number: up to the matching end of the FETCH list
    depth, j = 0, i
    while j < len(resp):
        c = resp[j:j + 1]
        if c == b'"':
            j += 1
            while resp[j:j + 1] != b'"':
                j += 2 if resp[j:j + 1] == b'\\' else 1
        elif c == b'{':
            m = re.match(rb'\{(\d+)\}\r\n', resp[j:])
            j += m.end() + int(m.group(1)) - 1
        elif c == b'(':
            depth += 1
        elif c == b')':
            if depth == 0:
                break
            depth -= 1
            if depth == 0:
                j += 1
                break
        elif c == b' ' and depth == 0:
            break
        j += 1
    return resp[i:j]

def main():
    m = imaplib.IMAP4(host, port)
    m.login(user, password)
    box = 'postbus-corpus'
    m.delete(box)
    m.create(box)
    m.select(box)
    for path in sorted(glob.glob(os.path.join(CORPUS, '*.eml'))):
        data = open(path, 'rb').read()
        typ, resp = m.append(box, None, None, data)
        uid = re.search(rb'APPENDUID \d+ (\d+)', resp[0]).group(1).decode()
        lines = []
        fetches = [(i, i) for i in ITEMS] + [('BODY.PEEK[%s]' % s, 'BODY[%s]' % s) for s in SECTIONS]
        fetches += [('BINARY.PEEK[%s]' % s, 'BINARY[%s]' % s) for s in BINARY]
        fetches += [('BINARY.SIZE[%s]' % s, 'BINARY.SIZE[%s]' % s) for s in BINARY]
        for item, name in fetches:
            typ, d = m.uid('FETCH', uid, '(' + item + ')')
            if typ != 'OK':
                lines.append(name + '\tNO')
                continue
            resp = raw_response(d)
            echoed = name.upper().replace('BODY[HEADER.FIELDS', 'BODY[HEADER.FIELDS')
            key = re.sub(r'\(([^)]*)\)', lambda mm: '(' + mm.group(1).upper() + ')', name)
            v = value_after(resp, key)
            lines.append(name + '\t' + ('NIL' if v is None else base64.b64encode(v).decode()))
        out = path[:-4] + '.dovecot'
        with open(out, 'w') as f:
            f.write('\n'.join(lines) + '\n')
        print(os.path.basename(out), len(lines), 'items')
    m.close()
    m.delete(box)
    m.logout()

main()
