#!/usr/bin/env python3
"""Records Dovecot's SORT answers for the corpus (../corpus/*.eml in name order, UID n = n-th),
to check the sort keys: ../corpus/sort.dovecot.txt, one line per criterion: "CRITERION uids".
Usage: python3 record_sort.py [host port user password]
"""
import glob, imaplib, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', 'corpus')
host, port, user, password = (sys.argv[1:5] + [None] * 4)[:4]
CRITERIA = ['SUBJECT', 'FROM', 'TO', 'CC', 'DATE', 'DISPLAYFROM', 'DISPLAYTO', 'REVERSE SUBJECT']

m = imaplib.IMAP4(host or '127.0.0.1', int(port or 10143))
m.login(user or 'user99', password or 'pass')
box = 'postbus-sort'
m.delete(box)
m.create(box)
for path in sorted(glob.glob(os.path.join(CORPUS, '*.eml'))):
    # a fixed internal date, so that messages without Date: sort by their sequence
    m.append(box, None, '"01-Jan-2020 00:00:00 +0000"', open(path, 'rb').read())
m.select(box)
lines = []
for c in CRITERIA:
    typ, data = m.uid('SORT', '(' + c + ')', 'UTF-8', 'ALL')
    lines.append(c + '\t' + data[0].decode())
with open(os.path.join(CORPUS, 'sort.dovecot.txt'), 'w') as f:
    f.write('\n'.join(lines) + '\n')
print('\n'.join(lines))
m.close()
m.delete(box)
m.logout()
