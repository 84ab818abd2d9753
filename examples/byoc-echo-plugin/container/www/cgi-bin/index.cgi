#!/bin/sh
# POST / with a JSON object answers {"echo": <that object>}; busybox httpd runs
# cgi-bin/index.cgi for "/" with the request body on stdin. The node checks the
# manifest's inputSchema on paid jobs; Live Runner calls reach the app as sent,
# so anything that is not a JSON object is refused here.
reply() {
  printf 'Status: %s\r\nContent-Type: application/json\r\n\r\n%s\n' "$1" "$2"
  exit 0
}
[ "$REQUEST_METHOD" = "POST" ] || reply '405 Method Not Allowed' '{"error":"POST a JSON object"}'
body=$(head -c "${CONTENT_LENGTH:-0}")
case "$body" in
  '{'*'}') reply '200 OK' "{\"echo\":$body}" ;;
  *) reply '400 Bad Request' '{"error":"expected a JSON object"}' ;;
esac
