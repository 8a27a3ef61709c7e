#!/usr/bin/env bash
# Writes a few seed inputs into corpus/<target>/ (gitignored). Session targets take two
# header bytes first: configuration, then chunking (0 = one chunk); see the targets' docs.
set -euo pipefail
cd "$(dirname "$0")"

seed() { # seed TARGET NAME PRINTF-FORMAT
    mkdir -p "corpus/$1"
    printf "$3" >"corpus/$1/$2"
}

D1='EHLO bar.com\r\nMAIL FROM:<Smith@bar.com>\r\nRCPT TO:<Jones@foo.com>\r\nRCPT TO:<Green@foo.com>\r\nRCPT TO:<Brown@foo.com>\r\nDATA\r\nBlah blah blah...\r\n...etc. etc. etc.\r\n.\r\nQUIT\r\n'
SUBMIT='EHLO laptop.example.org\r\nSTARTTLS\r\nEHLO laptop.example.org\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nMAIL FROM:<alice@example.net> SIZE=40 BODY=8BITMIME\r\nRCPT TO:<bob@example.net>\r\nRCPT TO:<carol@example.org>\r\nDATA\r\nSubject: Hi\r\n\r\n..dot\r\n.\r\nRSET\r\nNOOP\r\nVRFY bob\r\nHELP\r\nQUIT\r\n'
LOGIN='EHLO x\r\nAUTH LOGIN\r\nYWxpY2U=\r\nc2VjcmV0\r\nMAIL FROM:<> AUTH=<>\r\nRCPT TO:<@a.example:bob@example.net>\r\nDATA\r\n.\r\nQUIT\r\n'

for line in 'EHLO client.example.org\r\n' 'HELO [192.0.2.1]\r\n' \
    'MAIL FROM:<alice@example.org> SIZE=1024 BODY=8BITMIME\r\n' 'MAIL FROM: <>\r\n' \
    'RCPT TO:<"john smith"@example.net>\r\n' 'RCPT TO:<@hosta.int,@jkl.org:userc@d.bar.org>\r\n' \
    'DATA\r\n' 'RSET\r\n' 'NOOP hello\r\n' 'QUIT\r\n' 'VRFY bob\r\n' 'HELP MAIL\r\n' \
    'STARTTLS\r\n' 'AUTH PLAIN dGVzdAB0ZXN0ADEyMzQ=\r\n' 'AUTH LOGIN\r\n' 'AUTH PLAIN =\r\n'; do
    seed smtp_command "$(printf '%s' "$line" | cksum | cut -d' ' -f1)" "$line"
done

seed smtp_reply ehlo '250-mx.example.net greets laptop\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-8BITMIME\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 HELP\r\n'
seed smtp_reply greeting '220 mx.example.net ESMTP Postroom\r\n'
seed smtp_reply bare '354\r\n'
seed smtp_reply refused '550 5.1.1 <x@example.net>: Recipient address rejected: User unknown\r\n'

for cfg in 00 01 02 05 13 21; do
    for chunking in 00 01 0b 3e; do
        seed smtp_server_session "d1-$cfg-$chunking" "\\x$cfg\\x$chunking$D1"
        seed smtp_server_session "submit-$cfg-$chunking" "\\x$cfg\\x$chunking$SUBMIT"
        seed smtp_server_session "login-$cfg-$chunking" "\\x$cfg\\x$chunking$LOGIN"
    done
done

PLAIN_SERVER='220 mx.example.net ESMTP\r\n250-mx.example.net\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n235 2.7.0 ok\r\n250 ok\r\n250 ok\r\n550 no\r\n354 go\r\n250 accepted\r\n221 bye\r\n'
TLS_SERVER='220 mx ESMTP\r\n250-mx\r\n250 STARTTLS\r\n220 go ahead\r\n250-mx\r\n250 AUTH LOGIN\r\n334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 ok\r\n221 bye\r\n'
REFUSED='554 no service\r\n221 bye\r\n'
HELO_ONLY='220 old\r\n500 what\r\n250 old\r\n250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n250 ok\r\n221 bye\r\n'
for cfg in 00 01 02 04 08; do
    for chunking in 00 01 0d; do
        seed smtp_client_session "plain-$cfg-$chunking" "\\x$cfg\\x$chunking$PLAIN_SERVER"
        seed smtp_client_session "tls-$cfg-$chunking" "\\x$cfg\\x$chunking$TLS_SERVER"
        seed smtp_client_session "refused-$cfg-$chunking" "\\x$cfg\\x$chunking$REFUSED"
        seed smtp_client_session "helo-$cfg-$chunking" "\\x$cfg\\x$chunking$HELO_ONLY"
    done
done
# Boundary seeds: arguments near the 512-octet line limits, for the fuzzer to push over.
LONG=$(head -c 400 /dev/zero | tr '\0' a)
seed smtp_command long-ehlo "EHLO $LONG\r\n"
seed smtp_reply long-line "250-$LONG\r\n250 $LONG\r\n"
seed smtp_server_session long-args-01 "\x01\x00EHLO $LONG\r\nMAIL FROM:<>\r\nRCPT TO:<a@[$LONG]>\r\nNOOP $LONG\r\n"
seed smtp_server_session long-args-00 "\x00\x00EHLO $LONG\r\nAUTH PLAIN AGFsaWNlAHNlY3JldA==\r\nMAIL FROM:<> SIZE=1 X$LONG\r\n"
seed smtp_client_session long-reply "\x00\x00220 $LONG\r\n250-$LONG\r\n250 AUTH PLAIN\r\n"

# ---- POP3 ----
# bob's password is "secret"; the APOP digest is MD5("<1896.697170952@dbc.mtview.ca.us>secret")
# and AGJvYgBzZWNyZXQ= is SASL PLAIN's "\0bob\0secret".
for line in 'USER bob\r\n' 'PASS secret with spaces\r\n' 'APOP bob 3f18b52881e44c0cc6067f46e0ced7bc\r\n' \
    'AUTH\r\n' 'AUTH plain AGJvYgBzZWNyZXQ=\r\n' 'STAT\r\n' 'LIST\r\n' 'list 2\r\n' 'RETR 1\r\n' \
    'DELE 4294967295\r\n' 'NOOP\r\n' 'RSET\r\n' 'QUIT\r\n' 'TOP 1 10\r\n' 'UIDL\r\n' 'UIDL 3\r\n' \
    'CAPA\r\n' 'STLS\r\n'; do
    seed pop3_command "$(printf '%s' "$line" | cksum | cut -d' ' -f1)" "$line"
done
seed pop3_response list '\x01+OK 2 messages (320 octets)\r\n1 120\r\n2 200\r\n.\r\n'
seed pop3_response retr '\x01+OK 120 octets\r\nSubject: x\r\n\r\n..dot\r\n\r\n.\r\n'
seed pop3_response empty '\x01+OK\r\n.\r\n'
seed pop3_response in-use '\x01-ERR [IN-USE] Mailbox is locked\r\n'
seed pop3_response greeting '\x00+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n'

P_USER='USER bob\r\nPASS secret\r\nSTAT\r\nLIST\r\nLIST 2\r\nUIDL\r\nUIDL 1\r\nRETR 2\r\nTOP 1 0\r\nTOP 3 1\r\nDELE 1\r\nDELE 1\r\nRSET\r\nDELE 2\r\nNOOP\r\nCAPA\r\nQUIT\r\n'
P_APOP='CAPA\r\nAPOP bob 3f18b52881e44c0cc6067f46e0ced7bc\r\nRETR 3\r\nDELE 3\r\nLIST 3\r\nQUIT\r\n'
P_SASL='CAPA\r\nSTLS\r\nCAPA\r\nAUTH\r\nAUTH PLAIN\r\nAGJvYgBzZWNyZXQ=\r\nRETR 1\r\nDELE 1\r\nDELE 2\r\nDELE 3\r\nQUIT\r\n'
P_BAD='USER alice\r\nPASS wonderland\r\nUSER bob\r\nLAST\r\nRETR 9\nAUTH PLAIN *\r\nAUTH PLAIN\r\n*\r\nQUIT\r\n'
for cfg in 00 01 02 05 04 0c 10 20 40 41; do
    for chunking in 00 01 0b 3e; do
        seed pop3_server_session "user-$cfg-$chunking" "\\x$cfg\\x$chunking$P_USER"
        seed pop3_server_session "apop-$cfg-$chunking" "\\x$cfg\\x$chunking$P_APOP"
        seed pop3_server_session "sasl-$cfg-$chunking" "\\x$cfg\\x$chunking$P_SASL"
        seed pop3_server_session "bad-$cfg-$chunking" "\\x$cfg\\x$chunking$P_BAD"
    done
done

# ---- IMAP ----
I_READ='a1 CAPABILITY\r\na2 LOGIN bob secret\r\na3 ENABLE CONDSTORE\r\na4 SELECT INBOX (CONDSTORE)\r\na5 FETCH 1:* (FLAGS UID ENVELOPE BODYSTRUCTURE RFC822.SIZE INTERNALDATE MODSEQ)\r\na6 FETCH 2 (BODY.PEEK[1] BODY[2.MIME] BODY[4.HEADER] BODY[HEADER.FIELDS (SUBJECT)] BODY[TEXT]<0.10> BODY)\r\na7 UID SEARCH ALL\r\na8 STORE 1 +FLAGS (\\Seen)\r\na9 UID STORE 2 -FLAGS.SILENT (\\Seen) (UNCHANGEDSINCE 1)\r\nb1 UID MOVE 3 Trash\r\nb2 COPY 1 Trash\r\nb3 STORE 1 +FLAGS (\\Deleted)\r\nb4 EXPUNGE\r\nb5 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1)\r\nb6 IDLE\r\nDONE\r\nb7 LIST "" *\r\nb8 STATUS INBOX (MESSAGES UIDNEXT UNSEEN)\r\nb9 LOGOUT\r\n'
I_FOLDERS='a1 AUTHENTICATE PLAIN AGJvYgBzZWNyZXQ=\r\na2 CREATE Work\r\na3 RENAME Work Play\r\na4 APPEND Play (\\Seen) "07-Mar-2026 10:30:00 +0100" {21}\r\nSubject: x\r\n\r\nhello\r\n {3+}\r\ntwo\r\na5 EXAMINE Play\r\na6 FETCH 1 BODY[]\r\na7 UNSELECT\r\na8 SUBSCRIBE Play\r\na9 LIST "" "%%"\r\nb1 DELETE Play\r\nb2 NAMESPACE\r\nb3 SELECT inbox\r\nb4 SEARCH UNSEEN FROM alice\r\nb5 CLOSE\r\nb6 LOGOUT\r\n'
I_SASL='a1 STARTTLS\r\na2 AUTHENTICATE PLAIN\r\nAGJvYgBzZWNyZXQ=\r\na3 LOGIN {3+}\r\nbob {6}\r\nsecret\r\na4 SELECT INBOX\r\na5 IDLE\r\nDONE\r\na6 UID FETCH 4:* (UID FLAGS)\r\na7 LOGOUT\r\n'
printf "$I_READ$I_FOLDERS$I_SASL" | tr -d '\r' | while IFS= read -r line; do
    # Printed once already: escape what printf would read again.
    line=${line//\\/\\\\}
    seed imap_command "$(printf '%s' "$line" | cksum | cut -d' ' -f1)" "${line//%/%%}\\r\\n"
done
seed imap_command literal 'a4 APPEND Play (\\Seen) {21}\r\nSubject: x\r\n\r\nhello\r\n\r\n'
seed imap_command multiappend 'a5 APPEND Play (\\Seen) {3+}\r\none ($Label1) "07-Mar-2026 10:30:00 +0100" {3}\r\ntwo {0+}\r\n\r\n'
for cfg in 00 01 02 04 08 10 20 30; do
    for chunking in 00 01 0b 3e; do
        seed imap_server_session "read-$cfg-$chunking" "\\x$cfg\\x$chunking$I_READ"
        seed imap_server_session "folders-$cfg-$chunking" "\\x$cfg\\x$chunking$I_FOLDERS"
        seed imap_server_session "sasl-$cfg-$chunking" "\\x$cfg\\x$chunking$I_SASL"
    done
done

S_SYNC='* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN IDLE MOVE UIDPLUS CONDSTORE] ready\r\nA001 OK [CAPABILITY IMAP4rev1 IDLE MOVE UIDPLUS CONDSTORE] Logged in\r\n* FLAGS (\\Seen \\Deleted)\r\n* 3 EXISTS\r\n* 0 RECENT\r\n* OK [UIDVALIDITY 1] ok\r\n* OK [HIGHESTMODSEQ 9] ok\r\nA002 OK [READ-WRITE] SELECT completed\r\n* SEARCH 1 2 4\r\nA003 OK done\r\n* 1 FETCH (UID 1 FLAGS (\\Seen) BODY[] {5}\r\nhello)\r\n* 2 FETCH (UID 2 FLAGS () BODY[] {0}\r\n)\r\n* 3 FETCH (FLAGS (\\Recent) UID 4 BODY[] "x")\r\nA004 OK done\r\n* 1 FETCH (UID 1 FLAGS (\\Seen) MODSEQ (10))\r\nA005 OK done\r\nA006 OK done\r\n* 2 EXPUNGE\r\nA007 OK [HIGHESTMODSEQ 12] done\r\n* 2 EXPUNGE\r\nA008 OK [COPYUID 1 4 1] done\r\n+ idling\r\n* 3 EXISTS\r\n* 3 FETCH (UID 9 FLAGS ())\r\nA009 OK done\r\n* BYE bye\r\nA010 OK done\r\n'
S_TLS='* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\nA001 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nA002 OK done\r\nA003 NO [AUTHENTICATIONFAILED] no\r\n* BYE\r\nA004 OK bye\r\n'
S_CACHED='* OK hi\r\n* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN CONDSTORE\r\nA001 OK done\r\nA002 OK in\r\n* 4 EXISTS\r\n* OK [UIDVALIDITY 2] new\r\n* OK [HIGHESTMODSEQ 20] ok\r\nA003 OK sel\r\n* SEARCH 1 3 5 6\r\nA004 OK\r\n* 1 FETCH (UID 1 FLAGS (\\Flagged) MODSEQ (20))\r\nA005 OK\r\n* 3 FETCH (UID 5 BODY[] {2}\r\nhi FLAGS ())\r\nA006 OK\r\n'
for cfg in 00 01 02 04 0c 10 14 30 40; do
    for chunking in 00 01 0d; do
        seed imap_client_session "sync-$cfg-$chunking" "\\x$cfg\\x$chunking$S_SYNC"
        seed imap_client_session "tls-$cfg-$chunking" "\\x$cfg\\x$chunking$S_TLS"
        seed imap_client_session "cached-$cfg-$chunking" "\\x$cfg\\x$chunking$S_CACHED"
    done
done

M_PLAIN='From: Alice <alice@example.org>\r\nTo: bob@example.net, "Smith, J." <j@example.net>\r\nSubject: Lunch\r\nDate: Fri, 6 Mar 2026 09:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nHello Bob.\r\n'
M_MIXED='From: carol@example.org (Carol)\r\nTo: undisclosed-recipients:;\r\nSubject: parts\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\npreamble\r\n--b1\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\nhi\r\n--b1\r\nContent-Type: multipart/alternative; boundary=b2\r\n\r\n--b2\r\nContent-Type: text/html\r\n\r\n<p>hi</p>\r\n--b2--\r\n--b1\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment; filename*0*=utf-8'"''"'a%%20b; filename*1=c\r\n\r\nSubject: inner\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n--d\r\n\r\nSubject: digest part\r\n\r\nx\r\n--d--\r\n--b1--\r\n'
PARTS=('' '\x02' '\x03\x01' '\x03\x01\x01') # part numbers: none, 2, 3.1, 3.1.1
for spec in 00 04 08 0c 10 14 01 02 03 16 17; do
    parts=${PARTS[$((0x$spec & 3))]}
    seed imap_mime "plain-$spec" "\\x$spec$parts$M_PLAIN"
    seed imap_mime "mixed-$spec" "\\x$spec$parts$M_MIXED"
done

# Boundary seeds for the IMAP client: the largest UID less one, and an inline "literal" size
# near usize::MAX, for the fuzzer to push over.
NEAR_MAX_UID='* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\nA001 OK in\r\nA002 OK sel\r\n* SEARCH 4294967294\r\nA003 OK\r\n* 1 FETCH (UID 4294967294 BODY[] "x")\r\nA004 OK\r\n* 1 EXISTS\r\n'
NEAR_MAX_LITERAL='* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN] hi\r\nA001 OK in\r\n* 1 FETCH (UID 1 BODY[] {18446744073709551500}x)\r\n'
seed imap_client_session near-max-uid "\x00\x00$NEAR_MAX_UID"
seed imap_client_session near-max-literal "\x00\x00$NEAR_MAX_LITERAL"

echo "seeds written to $(pwd)/corpus"
