#!/usr/bin/env python3
"""Writes the threading corpus (../threads/NN.eml) and records Dovecot's THREAD answers for it.

Message n is appended n-th to an empty mailbox, so its UID is n. ../threads/dovecot.txt gets
one line per algorithm: "REFERENCES <thread data>" and "ORDEREDSUBJECT <thread data>".
Usage: python3 record_threads.py [host port user password]
"""
import glob, imaplib, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'threads')
host, port, user, password = (sys.argv[1:5] + [None] * 4)[:4]

# (message-id or None, references, subject, minute); dates are 2024-01-01 00:MM +0000
MESSAGES = [
    ('<2@x>', [], 'Other', 0),
    ('<3@x>', [], 'Topic', 1),
    ('<6@x>', ['<3@x>'], 'Re: Topic', 2),
    ('<4@x>', ['<3@x>', '<6@x>'], 'Re: Topic', 3),
    ('<23@x>', ['<3@x>', '<6@x>', '<4@x>'], 'Re: Topic', 4),
    ('<44@x>', ['<3@x>', '<6@x>'], 'Re: Topic', 5),
    ('<7@x>', ['<3@x>', '<6@x>', '<44@x>'], 'Re: Topic', 6),
    ('<96@x>', ['<3@x>', '<6@x>', '<44@x>', '<7@x>'], 'Re: Topic', 7),
    ('<l1@x>', ['<gone@x>'], 'Re: lost parent', 8),
    ('<l2@x>', ['<gone@x>'], 'Re: lost parent too', 9),
    ('<h1@x>', [], 'Hello', 10),
    ('<h2@x>', [], 'Hello', 11),
    ('<r1@x>', [], 'Re: Plans', 12),
    ('<r2@x>', [], 'Plans', 13),
    (None, [], 'no id', 14),
    (None, [], 'no id', 15),
    ('<dup@x>', [], 'duplicate one', 16),
    ('<dup@x>', [], 'duplicate two', 17),
    ('<a@x>', ['<b@x>'], 'loop a', 18),
    ('<b@x>', ['<a@x>'], 'loop b', 19),
    ('<f1@x>', [], '[list] Fwd: Report (fwd)', 20),
    ('<f2@x>', [], 'Report', 21),
    ('<tie1@x>', [], 'tie', 22),
    ('<tie2@x>', ['<tie1@x>'], 'Re: tie', 22),
    ('<tie3@x>', ['<tie1@x>'], 'Re: tie', 22),
    ('<e1@x>', [], '', 23),
    ('<e2@x>', [], '', 24),
    ('<late@x>', ['<early@x>'], 'Re: order', 26),
    ('<early@x>', [], 'order', 25),
]

def main():
    for f in glob.glob(os.path.join(OUT, '*.eml')):
        os.remove(f)
    for n, (mid, refs, subject, minute) in enumerate(MESSAGES, 1):
        lines = ['From: t%d@example.com' % n, 'Subject: ' + subject,
                 'Date: Mon, 1 Jan 2024 00:%02d:00 +0000' % minute]
        if mid:
            lines.append('Message-ID: ' + mid)
        if refs:
            lines.append('References: ' + ' '.join(refs))
            lines.append('In-Reply-To: ' + refs[-1])
        data = ('\r\n'.join(lines) + '\r\n\r\nbody %d\r\n' % n).encode()
        with open(os.path.join(OUT, '%02d.eml' % n), 'wb') as f:
            f.write(data)
    m = imaplib.IMAP4(host or '127.0.0.1', int(port or 10143))
    m.login(user or 'user99', password or 'pass')
    box = 'postbus-threads'
    m.delete(box)
    m.create(box)
    for n in range(1, len(MESSAGES) + 1):
        m.append(box, None, None, open(os.path.join(OUT, '%02d.eml' % n), 'rb').read())
    m.select(box)
    lines = []
    for algo in ('REFERENCES', 'ORDEREDSUBJECT'):
        typ, data = m.thread(algo, 'UTF-8', 'ALL')
        lines.append(algo + ' ' + data[0].decode())
    with open(os.path.join(OUT, 'dovecot.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print('\n'.join(lines))
    m.close()
    m.delete(box)
    m.logout()

main()
