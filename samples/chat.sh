#!/usr/bin/env bash
# Chat on a running dev hub (mvn compile camel:run): tokens, a live SSE listener, three messages
# (one blocked), the push stand-in, a reconnect with Last-Event-ID, a search. HUB_URL for another hub.
set -euo pipefail
HUB=${HUB_URL:-http://localhost:8080}
API=(-H 'Authorization: Bearer dev-token')
token() {
  curl -s "${API[@]}" -H 'Content-Type: application/json' -d "{\"userId\":\"$1\"}" \
    "$HUB/api/chats/tokens" | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
send() {
  curl -s -o /dev/null -w "POST $1: %{http_code}\n" "${API[@]}" \
    -H 'Content-Type: application/cloudevents+json' --data @"samples/$1" "$HUB/api/events"
}
ALICE=$(token user-42)
BOB=$(token user-43)
send chat-message-sent.json
# the chat exists once moderation stored its first message
for _ in $(seq 1 50); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${API[@]}" -H "X-Chat-Token: $BOB" \
    "$HUB/api/chats/chat-7/messages")
  [ "$code" = 200 ] && break
  sleep 0.2
done
LIVE=$(mktemp)
curl -s -N -H "Authorization: Bearer $BOB" "$HUB/live/chats/chat-7" > "$LIVE" &
LISTENER=$!
sleep 1
send chat-message-reply.json
send chat-message-blocked.json
sleep 3
kill "$LISTENER"
echo "--- what user-43 got live (never the blocked message):"
cat "$LIVE"
echo "--- reconnect with Last-Event-ID: 1 (the messages after the first):"
curl -s -N --max-time 3 -H "Authorization: Bearer $BOB" -H 'Last-Event-ID: 1' \
  "$HUB/live/chats/chat-7" || true
echo
echo "--- the push stand-in (user-44 is offline):"
curl -s "${API[@]}" "$HUB/stand-ins/push"
echo
echo "--- search 'shipping' as user-42 (finds 'shipped'; never the blocked one):"
curl -s "${API[@]}" -H "X-Chat-Token: $ALICE" "$HUB/api/chats/chat-7/messages?q=shipping"
echo
rm -f "$LIVE"
