#!/usr/bin/env python3
"""Give benchmark users the same mailbox: load a deterministic mbox into each user's INBOX by IMAP
APPEND (works against any IMAP server, so Dovecot and Postbus get identical contents).

Usage: bench/imap-fill.py HOST PORT [options]
  --users N            how many users (default 50)          --first-user K   first index (1)
  --user-format FMT    login name, %d = index (user%d; Postbus: 'user%d@example.test')
  --password PW        (pass)
  --count C --seed S   mbox made by ../shared/anchors/make-mbox.py OUT C S (500 messages, seed 1)
  --mbox FILE          use this mbox instead (default bench/target/mbox-C-S.mbox, made when missing)
  --reset              empty a mailbox whose message count differs from the mbox before loading
                       (without it such a mailbox is an error; one that already holds exactly the
                       mbox's count is left as it is)
  --reload             empty and load every mailbox, whatever it holds (the same flags on both
                       servers before a side-by-side series)
  --threads T          parallel loaders (4)
The internal date of each message is taken from its mbox From_ line. Every fourth message is
stored unread, the others \Seen: the share bench/imap.sh's STOREs (3 marked read, 1 unread per
session) settle at, so that a freshly filled mailbox answers SEARCH UNSEEN like one after many
runs. (An import without flags starts all unread and reaches that share during the first round.) For Postbus the same contents can be imported without IMAP:
  bin/postbus import --mbox bench/target/mbox-500-1.mbox --user user1@example.test   (one per user)
The anchor's users user1..user50 are the IMAP benchmark's, user60 is bench/pop3.sh's (1,000 messages).
Last line (summary): imapfill host=.. port=.. users=.. messages_each=.. loaded=.. skipped=.. s=.. [error=..] load1=..
"""
import argparse, datetime, imaplib, mailbox, os, re, subprocess, sys, threading, time

HERE = os.path.dirname(os.path.abspath(__file__))
ANCHORS = os.environ.get("ANCHORS", os.path.normpath(os.path.join(HERE, "..", "..", "shared", "anchors")))

p = argparse.ArgumentParser(usage=__doc__)
p.add_argument("host"); p.add_argument("port", type=int)
p.add_argument("--users", type=int, default=50); p.add_argument("--first-user", type=int, default=1)
p.add_argument("--user-format", default="user%d"); p.add_argument("--password", default="pass")
p.add_argument("--count", type=int, default=500); p.add_argument("--seed", type=int, default=1)
p.add_argument("--mbox"); p.add_argument("--reset", action="store_true")
p.add_argument("--reload", action="store_true")
p.add_argument("--threads", type=int, default=4)
if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help"):
    print(__doc__.strip()); sys.exit(0)
a = p.parse_args()

def load1():
    return "%.2f" % os.getloadavg()[0]

head = "imapfill host=%s port=%d users=%d first_user=%d" % (a.host, a.port, a.users, a.first_user)
def fail(what):
    print("%s error=%s load1=%s" % (head, what, load1())); sys.exit(1)

mbox_path = a.mbox or os.path.join(HERE, "target", "mbox-%d-%d.mbox" % (a.count, a.seed))
if not os.path.exists(mbox_path):
    os.makedirs(os.path.dirname(mbox_path), exist_ok=True)
    gen = os.path.join(ANCHORS, "make-mbox.py")
    if not os.path.exists(gen):
        fail("no_make_mbox_py_in_%s" % ANCHORS)
    r = subprocess.run([sys.executable, gen, mbox_path, str(a.count), str(a.seed)], capture_output=True, text=True)
    if r.returncode != 0:
        fail("make_mbox_failed")
    print("# " + r.stdout.strip().splitlines()[-1], flush=True)

# Raw bytes of each message (without the From_ line) and its date from the From_ line.
msgs = []
mb = mailbox.mbox(mbox_path, create=False)
for key in mb.keys():
    raw = mb.get_bytes(key)
    frm = mb.get_message(key).get_from()       # "sender@x Tue Nov 14 22:13:20 2023"
    when = None
    try:
        when = datetime.datetime.strptime(" ".join(frm.split()[1:]), "%a %b %d %H:%M:%S %Y").replace(tzinfo=datetime.timezone.utc)
    except ValueError:
        pass
    msgs.append((raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"), when))
mb.close()
print("# %s: %d messages, %d bytes; users %s..%s" % (mbox_path, len(msgs), sum(len(m) for m, _ in msgs),
      a.user_format.replace("%d", str(a.first_user)), a.user_format.replace("%d", str(a.first_user + a.users - 1))), flush=True)

def name(k):
    return a.user_format % k if "%d" in a.user_format else a.user_format

lock = threading.Lock(); res = {"loaded": 0, "skipped": 0, "errors": []}
todo = list(range(a.first_user, a.first_user + a.users))

def fill(k):
    user = name(k)
    c = imaplib.IMAP4(a.host, a.port, timeout=120)
    try:
        c.login(user, a.password)
        typ, data = c.select("INBOX")
        have = int(data[0])
        if have == len(msgs) and not a.reload:
            with lock: res["skipped"] += 1
            return
        if have:
            if not (a.reset or a.reload):
                raise RuntimeError("%s holds %d messages, not %d (use --reset to empty it)" % (user, have, len(msgs)))
            c.store("1:*", "+FLAGS.SILENT", "(\\Deleted)"); c.expunge()
        for i, (raw, when) in enumerate(msgs):
            typ, _ = c.append("INBOX", None if i % 4 == 3 else "(\\Seen)", when, raw)
            if typ != "OK":
                raise RuntimeError("APPEND for %s: %s" % (user, typ))
        typ, data = c.select("INBOX")
        if int(data[0]) != len(msgs):
            raise RuntimeError("%s holds %s messages after loading, expected %d" % (user, data[0], len(msgs)))
        with lock: res["loaded"] += 1
    finally:
        try: c.logout()
        except Exception: pass

def worker():
    while True:
        with lock:
            if not todo: return
            k = todo.pop(0)
        try:
            fill(k)
        except Exception as e:
            with lock: res["errors"].append("%s: %s" % (name(k), e))

t0 = time.time()
threads = [threading.Thread(target=worker) for _ in range(max(1, a.threads))]
for t in threads: t.start()
for t in threads: t.join()
dt = time.time() - t0
for e in res["errors"][:5]:
    print("# error:", e)
line = "%s messages_each=%d loaded=%d skipped=%d s=%.1f" % (head, len(msgs), res["loaded"], res["skipped"], dt)
if res["errors"]:
    line += " error=%d_users_failed" % len(res["errors"])
print(line + " load1=" + load1())
sys.exit(1 if res["errors"] else 0)
