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

echo "seeds written to $(pwd)/corpus"
