#!/bin/sh
# POST / with {"text": "..."} answers {"text": "<THE TEXT, UPPERCASED>"}.
# busybox httpd runs cgi-bin/index.cgi for "/"; the request body is on stdin.
. /usr/lib/app/text-input.sh
reply '200 OK' "{\"text\":\"$upper\"}"
