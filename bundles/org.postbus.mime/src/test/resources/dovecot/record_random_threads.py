#!/usr/bin/env python3
"""A seeded random threading corpus (../threads/random.msgs) and Dovecot's THREAD answers for it
(../threads/random.dovecot.txt): many messages whose references, subjects and dates mix replies,
missing parents, duplicate and absent Message-IDs and equal dates. Messages are separated by a
line "=====" in random.msgs; message n has UID n.
Usage: python3 record_random_threads.py [count seed host port user password]
"""
import imaplib, os, random, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'threads')
args = sys.argv[1:] + [None] * 6
count, seed = int(args[0] or 150), int(args[1] or 5256)
host, port, user, password = args[2] or '127.0.0.1', int(args[3] or 10143), args[4] or 'user99', args[5] or 'pass'

rnd = random.Random(seed)
topics = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', '', 'Alpha']
prefixes = ['', '', '', 'Re: ', 'RE: ', 'Fwd: ', 'Re: Re: ', '[list] Re: ', 'Fw: ']
messages = []
ids = []
for n in range(1, count + 1):
    r = rnd.random()
    mid = None if r < 0.05 else (rnd.choice(ids) if r < 0.08 and ids else '<m%d@x>' % n)
    refs = []
    if ids and rnd.random() < 0.6:
        k = rnd.randint(1, 4)
        refs = [rnd.choice(ids) if rnd.random() < 0.85 else '<gone%d@x>' % rnd.randint(1, 10) for _ in range(k)]
    subject = rnd.choice(prefixes) + rnd.choice(topics) + (' (fwd)' if rnd.random() < 0.03 else '')
    minute = rnd.randint(0, 59)
    lines = ['From: r%d@example.com' % n, 'Subject: ' + subject,
             'Date: Mon, 1 Jan 2024 %02d:%02d:00 +0000' % (minute // 60 + 10, minute % 60)]
    if mid:
        lines.append('Message-ID: ' + mid)
        ids.append(mid)
    if refs:
        if rnd.random() < 0.8:
            lines.append('References: ' + ' '.join(refs))
        else:
            lines.append('In-Reply-To: ' + refs[-1])
    messages.append('\r\n'.join(lines) + '\r\n\r\nbody\r\n')

with open(os.path.join(OUT, 'random.msgs'), 'w', newline='') as f:
    f.write('=====\n'.join(messages))
m = imaplib.IMAP4(host, port)
m.login(user, password)
box = 'postbus-random-threads'
m.delete(box)
m.create(box)
for msg in messages:
    m.append(box, None, None, msg.encode())
m.select(box)
lines = []
for algo in ('REFERENCES', 'ORDEREDSUBJECT'):
    typ, data = m.thread(algo, 'UTF-8', 'ALL')
    lines.append(algo + ' ' + data[0].decode())
with open(os.path.join(OUT, 'random.dovecot.txt'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
print('\n'.join(l[:200] for l in lines))
m.close()
m.delete(box)
m.logout()
