#!/bin/sh
# POST / with {"text": "..."} answers a text/event-stream: one `data: {"word": "..."}`
# event per word, uppercased, then `event: done` with the whole text.
# busybox httpd runs cgi-bin/index.cgi for "/"; the request body is on stdin.
. /usr/lib/app/text-input.sh
printf 'Status: 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n\r\n'
for word in $upper; do
  printf 'data: {"word":"%s"}\n\n' "$word"
done
printf 'event: done\ndata: {"text":"%s"}\n\n' "$upper"
