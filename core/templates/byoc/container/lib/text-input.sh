# Sourced by the CGI scripts: reply(), and $upper from the request body.
# Only POST with {"text": "..."} gets past this; anything else is refused with
# a 4xx and a JSON error (the node also checks the manifest's inputSchema before
# a job is paid, but the app must not trust its callers).
reply() {
  printf 'Status: %s\r\nContent-Type: application/json\r\n\r\n%s\n' "$1" "$2"
  exit 0
}

[ "$REQUEST_METHOD" = "POST" ] || reply '405 Method Not Allowed' '{"error":"POST a JSON body {\"text\": \"...\"}"}'
body=$(head -c "${CONTENT_LENGTH:-0}")
# The one accepted shape: an object with a single string field "text" (no escapes, to keep sh honest).
text=$(printf '%s' "$body" | sed -n 's/^[[:space:]]*{[[:space:]]*"text"[[:space:]]*:[[:space:]]*"\([^"\\]*\)"[[:space:]]*}[[:space:]]*$/ok:\1/p')
case "$text" in
  ok:*) ;;
  *) reply '400 Bad Request' '{"error":"expected a JSON object {\"text\": \"...\"} with a string text and no other fields"}' ;;
esac
upper=$(printf '%s' "${text#ok:}" | tr 'a-z' 'A-Z')
