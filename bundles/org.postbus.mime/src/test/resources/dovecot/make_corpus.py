#!/usr/bin/env python3
"""Writes the test corpus (../corpus/*.eml): real-world-shaped messages, well-formed and broken.

The bytes matter (CRLF vs LF, 8-bit headers), so they are built here rather than typed in an editor.
Run from this directory: python3 make_corpus.py
"""
import base64, os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'corpus')

def crlf(text):
    return text.replace('\r\n', '\n').replace('\n', '\r\n').encode('utf-8')

def write(name, data):
    if isinstance(data, str):
        data = crlf(data)
    with open(os.path.join(OUT, name + '.eml'), 'wb') as f:
        f.write(data)

PDF = base64.encodebytes(b'%PDF-1.4\n' + bytes(range(256)) * 3).decode()

write('simple', """Return-Path: <alice@example.org>
Received: from mx.example.org (mx.example.org [192.0.2.1])
\tby mail.example.net with ESMTPS id 4F2B3;
\tMon, 15 Jan 2024 09:12:03 +0000
From: Alice Example <alice@example.org>
To: Bob <bob@example.net>
Subject: Lunch on Friday?
Date: Mon, 15 Jan 2024 10:12:00 +0100
Message-ID: <20240115091200.1234@example.org>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8; format=flowed
Content-Transfer-Encoding: 8bit

Hi Bob,

shall we have lunch on Friday? The caf\u00e9 on the corner is open again.

Alice
""")

write('alternative', """From: "Newsletter" <news@shop.example>
To: customer@example.com
Subject: =?UTF-8?Q?Gro=C3=9Fe_Rabatte_diese_Woche?=
Date: Tue, 16 Jan 2024 06:00:00 -0500
Message-ID: <nl-2024-03@shop.example>
MIME-Version: 1.0
Content-Type: multipart/alternative;
 boundary="----=_Part_123_456.789"

This is a multi-part message in MIME format.

------=_Part_123_456.789
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Gro=C3=9Fe Rabatte: 20% auf alles!=20
Nur diese Woche.
------=_Part_123_456.789
Content-Type: text/html; charset=UTF-8
Content-Transfer-Encoding: base64

PGh0bWw+PGJvZHk+PHA+R3Jvw59lIFJhYmF0dGU6IDIwJSBhdWYgYWxsZXMhPC9wPjwvYm9keT48
L2h0bWw+Cg==
------=_Part_123_456.789--
""")

write('attachment', """From: Carol <carol@example.com>
To: Dave <dave@example.net>, Eve <eve@example.net>
Cc: team@example.com
Subject: Q4 report
Date: Wed, 17 Jan 2024 14:30:00 +0000
Message-ID: <q4report@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="mixed-boundary"

--mixed-boundary
Content-Type: text/plain; charset=us-ascii

Please find the report attached.

--mixed-boundary
Content-Type: application/pdf; name="Q4 report.pdf"
Content-Disposition: attachment; filename="Q4 report.pdf"; size=777
Content-Transfer-Encoding: base64
Content-ID: <part2.q4@example.com>
Content-Description: Quarterly report

""" + PDF + """
--mixed-boundary
Content-Type: application/octet-stream;
 name*0*=UTF-8''%C3%9Cbersicht%20;
 name*1*=2024.xlsx
Content-Disposition: attachment;
 filename*=UTF-8''%C3%9Cbersicht%202024.xlsx
Content-Transfer-Encoding: base64

UEsDBBQAAAAIAA==
--mixed-boundary--
""")

write('forwarded', """From: Frank <frank@example.org>
To: Grace <grace@example.org>
Subject: Fwd: Meeting notes
Date: Thu, 18 Jan 2024 08:00:00 +0000
Message-ID: <fwd-1@example.org>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

See below.

--outer
Content-Type: message/rfc822
Content-Disposition: inline

From: Heidi <heidi@example.com>
To: Frank <frank@example.org>
Subject: Meeting notes
Date: Wed, 17 Jan 2024 17:00:00 +0000
Message-ID: <notes@example.com>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Notes: caf=E9 at 10.
--inner
Content-Type: text/html; charset=iso-8859-1

<p>Notes</p>
--inner--

--outer--
""")

write('digest', """From: list-request@lists.example
To: subscriber@example.com
Subject: Digest, Vol 1, Issue 2
Date: Fri, 19 Jan 2024 12:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/digest; boundary="digest-b"

--digest-b

From: a@lists.example
Subject: first

first body
--digest-b
Content-Type: message/rfc822

From: b@lists.example
Subject: second

second body
--digest-b
Content-Type: text/plain

an explicit text part
--digest-b--
""")

write('missing-final-boundary', """From: broken@example.com
Subject: no close delimiter
Content-Type: multipart/mixed; boundary=xyz

--xyz
Content-Type: text/plain

part one
--xyz
Content-Type: text/plain

part two runs to the end
""")

write('boundary-never-found', """From: broken@example.com
Subject: boundary never used
Content-Type: multipart/mixed; boundary="not-there"

just text, no boundary anywhere
""")

write('multipart-without-boundary', """From: broken@example.com
Subject: multipart without boundary parameter
Content-Type: multipart/related

body
""")

write('lf-only', b"From: unix@example.com\nTo: you@example.com\nSubject: LF line ends\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\none\ntwo\n--b\nContent-Type: text/plain\n\nthree\n--b--\n")

write('eight-bit-headers', "From: J\u00f6rg M\u00fcller <joerg@example.de>\r\nTo: Zo\u00eb <zoe@example.fr>\r\nSubject: Gr\u00fc\u00dfe aus M\u00fcnchen \u2013 \u65e5\u672c\r\nDate: Sat, 20 Jan 2024 10:00:00 +0100\r\n\r\nHallo!\r\n".encode('utf-8'))

write('latin1-header-bytes', b"From: Ren\xe9 <rene@example.fr>\r\nSubject: caf\xe9 cr\xe8me\r\n\r\nbody\r\n")

write('encoded-words', """From: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>
To: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>
Cc: =?ISO-8859-1?Q?Olle_J=E4rnefors?= <ojarnef@admin.kth.se>
Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=
 =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=
Date: Sun, 21 Jan 2024 11:00:00 +0000
Message-ID: <encoded@example.be>
MIME-Version: 1.0
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: quoted-printable

Andr=E9
""")

write('groups', """From: Pete <pete@silly.example>
To: A Group:Ed Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;
Cc: Undisclosed recipients:;
Bcc: (comment) "Quoted \\"Name\\"" <q@x.test>, Mary Smith <@node.test:mary@example.net>
Reply-To: "Joe Q. Public" <john.q.public@example.com>
Sender: Dr. Who <who@tardis.test>
Subject: Groups and routes
Date: Thu, 13 Feb 1969 23:32:54 -0330
Message-ID: <testabcd.1234@silly.example>
In-Reply-To: <1234@local.machine.example> <3456@example.net>
References: <1234@local.machine.example> <3456@example.net>

body
""")

write('bad-headers', """From nobody Mon Jan 22 00:00:00 2024
From: bad@example.com
This line has no colon
Subject : space before colon
X-Empty:
To:
Content-Type: text/plain; charset=unknown-charset-x
Content-Transfer-Encoding: 8bit

body with unknown charset
""")

write('unknown-cte', """From: odd@example.com
Subject: uuencoded
Content-Type: multipart/mixed; boundary=u

--u
Content-Type: text/plain

text
--u
Content-Type: application/octet-stream; name=file.bin
Content-Transfer-Encoding: x-uuencode

begin 644 file.bin
#86)C
`
end
--u--
""")

write('params', """From: params@example.com
Subject: parameter forms
Content-Type: multipart/mixed; boundary="b (not a comment)"; X-Extra=token (a comment)

--b (not a comment)
Content-Type: TEXT/Plain; Charset="UTF-8"; Name*0="long "; Name*1="name.txt"; format=flowed (comment)
Content-Disposition: ATTACHMENT; Filename="a \\"quoted\\" name.txt"
Content-Language: en, de (German)
Content-Location: https://example.com/a.txt
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==

text
--b (not a comment)
Content-Type: image/png
Content-Transfer-Encoding: BASE64
Content-Disposition: inline

iVBORw0KGgo=
--b (not a comment)--
""")

write('signed', """From: signer@example.com
To: friend@example.com
Subject: signed message
Date: Mon, 22 Jan 2024 09:00:00 +0000
Message-ID: <signed@example.com>
MIME-Version: 1.0
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256;
 boundary="sig-b"

This is an S/MIME signed message

--sig-b
Content-Type: text/plain; charset=us-ascii

Signed text.
--sig-b
Content-Type: application/pkcs7-signature; name=smime.p7s
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename=smime.p7s

MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMII=
--sig-b--

epilogue text
""")

write('header-only', b"From: short@example.com\r\nSubject: no body at all\r\n")

write('empty-body', b"From: short@example.com\r\nSubject: empty body\r\n\r\n")

write('nested-boundary-prefix', """From: nest@example.com
Subject: inner boundary extends the outer one
Content-Type: multipart/mixed; boundary="=_abc"

--=_abc
Content-Type: multipart/alternative; boundary="=_abc_def"

--=_abc_def
Content-Type: text/plain

inner text
--=_abc_def--
--=_abc
Content-Type: text/plain

second
--=_abc--
""")

write('outer-boundary-ends-inner', """From: nest@example.com
Subject: inner multipart never closed
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain

a
--inner
Content-Type: text/html

<b>b</b>
--outer
Content-Type: text/plain

c
--outer--
""")

write('rfc822-attachment-nonmultipart', """From: x@example.com
Subject: attached plain message
Content-Type: message/rfc822

From: y@example.com
Subject: the inner one
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

aW5uZXIgYm9keQo=
""")

write('folded-and-repeated', """Received: from a by b;
\tMon, 22 Jan 2024 00:00:01 +0000
Received: from c by d;
  Mon, 22 Jan 2024 00:00:00 +0000
From: fold@example.com
Subject: a subject that is
\tfolded over two lines
Comments: one
Comments: two
Message-ID:
 <folded@example.com>

body
""")

write('quoting', """From: "Back\\\\slash" <bs@example.com>
To: "With, comma" <comma@example.com>
Subject: He said "hi" \\ backslash
Message-ID: <"quoted local"@example.com>

body
""")

write('base64-text', """From: b64@example.com
Subject: base64 text, no trailing newline
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

RGllIEvDtmxuZXIgw5xiZXJzaWNodCDDpMO2w7w=""")

write('prefixed-subject', """From: thread@example.com
Subject: Re: [list] Fwd: Re: Plans (fwd)
Date: Tue, 23 Jan 2024 12:00:00 +0000
Message-ID: <prefixed@example.com>
In-Reply-To: <parent@example.com>

body
""")

write('message-global', """From: intl@example.com
Subject: attached internationalised message
Content-Type: multipart/mixed; boundary=g

--g
Content-Type: message/global

From: =?utf-8?q?x?= <x@example.com>
Subject: Gr\u00fc\u00dfe
Content-Type: text/plain; charset=utf-8

Hallo
--g--
""")

write('odd-syntax', """From: odd@example.com
Subject: odd but common syntax
Content-Type: MULTIPART/Mixed; BOUNDARY="B"

--B  
Content-Type:
Content-Transfer-Encoding: base64 (a comment)

aGk=
--B
Content-Type: message/rfc822

Content-Type: message/rfc822

Subject: twice nested

deep
--B
Content-Type: text/plain;
 charset=us-ascii;
 format=flowed

last part
--B--garbage after the close delimiter
epilogue
""")

write('mixed-line-ends', b"Subject: mixed line ends\r\nContent-Type: multipart/alternative; boundary=m\r\n\r\n--m\nContent-Type: text/plain\n\nlf part\n--m\r\nContent-Type: text/html\r\n\r\n<p>crlf part</p>\r\n--m--\r\n")

write('empty-parts', """Subject: empty parts
Content-Type: multipart/mixed; boundary=e

--e
--e

--e
Content-Type: message/rfc822

--e--
""")

write('outlook-related', """From: "Smith, Anna" <anna.smith@corp.example>
To: "Team" <team@corp.example>
Subject: RE: Project status
Thread-Topic: Project status
Thread-Index: AQHZ1234567890abcdef==
Date: Wed, 24 Jan 2024 15:04:05 +0000
Message-ID: <DB9PR01MB1234ABCD@DB9PR01MB1234.eurprd01.prod.example.com>
References: <first@corp.example>
 <DB9PR01MB0000@DB9PR01MB0000.eurprd01.prod.example.com>
In-Reply-To: <DB9PR01MB0000@DB9PR01MB0000.eurprd01.prod.example.com>
Accept-Language: en-US
Content-Language: en-US
X-MS-Has-Attach: yes
Content-Type: multipart/related;
\tboundary="_004_DB9PR01MB1234ABCD_";
\ttype="multipart/alternative"
MIME-Version: 1.0

--_004_DB9PR01MB1234ABCD_
Content-Type: multipart/alternative;
\tboundary="_000_DB9PR01MB1234ABCD_"

--_000_DB9PR01MB1234ABCD_
Content-Type: text/plain; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

Status is green.=0D=0A=0D=0A[cid:image001.png@01DA4E.12345670]

--_000_DB9PR01MB1234ABCD_
Content-Type: text/html; charset="us-ascii"
Content-Transfer-Encoding: quoted-printable

<html><body><p>Status is green.</p><img src=3D"cid:image001.png@01DA4E.12345670"></body></html>

--_000_DB9PR01MB1234ABCD_--

--_004_DB9PR01MB1234ABCD_
Content-Type: image/png; name="image001.png"
Content-Description: image001.png
Content-Disposition: inline; filename="image001.png"; size=68;
\tcreation-date="Wed, 24 Jan 2024 15:04:04 GMT";
\tmodification-date="Wed, 24 Jan 2024 15:04:04 GMT"
Content-ID: <image001.png@01DA4E.12345670>
Content-Transfer-Encoding: base64

iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==

--_004_DB9PR01MB1234ABCD_--
""")

write('calendar', """From: organizer@example.com
To: attendee@example.com
Subject: Invitation: Planning
Date: Thu, 25 Jan 2024 09:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="cal"

--cal
Content-Type: multipart/alternative; boundary="alt"

--alt
Content-Type: text/plain; charset=UTF-8

You are invited.
--alt
Content-Type: text/calendar; charset=UTF-8; method=REQUEST
Content-Transfer-Encoding: 7bit

BEGIN:VCALENDAR
METHOD:REQUEST
END:VCALENDAR
--alt--

--cal
Content-Type: application/ics; name="invite.ics"
Content-Disposition: attachment; filename*0*=us-ascii'en'invite;
 filename*1*=%2Eics
Content-Transfer-Encoding: base64

QkVHSU46VkNBTEVOREFSDQpFTkQ6VkNBTEVOREFSDQo=
--cal--
""")

write('bounce', """From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.com
Subject: Undelivered Mail Returned to Sender
Date: Fri, 26 Jan 2024 08:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="BOUNCE.1706256000/mx.example.net"

--BOUNCE.1706256000/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

--BOUNCE.1706256000/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; nobody@example.net
Action: failed
Status: 5.1.1

--BOUNCE.1706256000/mx.example.net
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: sender@example.com
To: nobody@example.net
Subject: hello

--BOUNCE.1706256000/mx.example.net--
""")

write('address-oddities', """From: "a@b" <a@b.example>
Sender: user@[IPv6:::1]
Reply-To: <reply@example.com> (the list)
To: one@example.com two@example.com, =?utf-8?q?A=2C_B?= <ab@example.com>
Cc: Dr. Who <who@example.com>, "Last, First" <lf@example.com>, <>, local-only
Bcc: ,,, "" <empty-name@example.com>
Subject: address oddities
Message-ID: no-brackets@example.com

body
""")
