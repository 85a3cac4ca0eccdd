#!/usr/bin/env bash
# The README's walkthroughs, run top to bottom against a hub, with every answer checked.
#   samples/tour.sh                                   # the hub of `mvn compile camel:run`
#   HUB_URL=http://127.0.0.1:18080 samples/tour.sh    # another hub (dev profile: stand-ins, dev secret)
# Start from a fresh hub (delete target/hub-data first): the walkthroughs set stock and use fixed ids.
#
# Every command below is a line of README.md as written there (ReadmeTourTest keeps the two in
# sync); the `expect` line above it says what its answer must be. In this script `curl` and
# `samples/send-payment-callback.sh` are functions: they run the real command against $HUB_URL and
# check its answer. An answer that comes from asynchronous work (Kafka consumers) is asked for again
# until it matches, for at most $TOUR_WAIT seconds. Exits 1 on the first answer that does not match.
set -euo pipefail
cd "$(dirname "$0")/.."

HUB_URL=${HUB_URL:-http://localhost:8080}
HUB_URL=${HUB_URL%/}
export HUB_URL
TOUR_WAIT=${TOUR_WAIT:-60}
body=$(mktemp)
trap 'rm -f "$body"' EXIT
trap 'echo "tour: FAILED at step $steps: a command exited with status $?" >&2' ERR
# a check that fails inside a pipeline (a subshell) ends the whole tour
trap 'exit 1' USR1
# a reader of the answer that stops early (| head) must not fail the step
trap '' PIPE
want_status=
want_text=
want_wait=0
steps=0

# expect <http status> [text]: the next command answers this status, its body contains the text
function expect {
  steps=$((steps + 1))
  want_status=$1 want_text=${2:-} want_wait=0
}

# eventually <http status> [text]: the same, once the hub's asynchronous work has caught up
function eventually {
  steps=$((steps + 1))
  want_status=$1 want_text=${2:-} want_wait=$TOUR_WAIT
}

function fail {
  echo "tour: FAILED at step $steps: $*" >&2
  echo "tour: the last answer was:" >&2
  head -c 2000 "$body" >&2
  echo >&2
  echo "tour: (the walkthroughs expect a fresh hub: stop it, delete target/hub-data, start it again)" >&2
  kill -USR1 $$
  exit 1
}

# check <command...>: runs the command (which writes the body to $body and prints the HTTP status)
# until its answer is the expected one or the time is up
function check {
  [[ -n $want_status ]] || fail "no expect line before: $*"
  local deadline=$((SECONDS + want_wait)) status
  echo "tour: step $steps: expect $want_status${want_text:+ and $want_text}" >&2
  while true; do
    status=$("$@") || status="no answer (exit $?)"
    if [[ $status == "$want_status" ]] && { [[ -z $want_text ]] || grep -qF -- "$want_text" "$body"; }; then
      break
    fi
    if ((SECONDS >= deadline)); then
      fail "expected HTTP $want_status${want_text:+ with $want_text}, got $status$( ((want_wait == 0)) || echo " for ${want_wait}s")"
    fi
    sleep 0.5
  done
  want_status= want_text= want_wait=0
  if [[ -s $body ]] && ! grep -qI '' "$body"; then # what the user sees
    echo "($(wc -c <"$body") bytes of binary)"
  else
    { cat "$body" && echo; } 2>/dev/null || true
  fi
}

function hub_curl {
  local args=() arg bounded= status
  while (($#)); do
    arg=$1
    shift
    case $arg in
      localhost:8080*) args+=("$HUB_URL${arg#localhost:8080}") ;;
      http://localhost:8080*) args+=("$HUB_URL${arg#http://localhost:8080}") ;;
      -o) shift ;; # the reader's file, which is $body (see curl)
      --max-time) bounded=1 && args+=(--no-show-error "$arg") ;; # a stream read so long: no error
      *) args+=("$arg") ;;
    esac
  done
  status=$(command curl -sS -o "$body" -w '%{http_code}' --max-time 30 "${args[@]}") || {
    local exit=$?
    ((exit == 28)) && [[ -n $bounded ]] || return $exit
  }
  echo "$status"
}

# curl ... -o FILE: the answer is checked in the reader's file. curl ... &: a listener in the
# background checks its own answer when it ends; `wait` for it (a failure there ends the tour)
function curl {
  local body=$body prev= arg
  for arg; do
    [[ $prev != -o ]] || body=$arg
    prev=$arg
  done
  check hub_curl "$@"
}

function send_callback {
  # the sample script prints the answer as curl -i does: the status is on its first line
  command samples/send-payment-callback.sh "$@" >"$body" || return
  awk 'NR == 1 { print $2 }' "$body"
}

function samples/send-payment-callback.sh {
  check send_callback "$@"
}

echo "tour: the README's walkthroughs against $HUB_URL" >&2

## README: Try it with curl
expect 200 '"available":10,"reserved":0'
curl -s -H 'Authorization: Bearer dev-token' -X PUT localhost:8080/api/inventory/SKU-RED-MUG -H 'Content-Type: application/json' \
  --data-binary @samples/stock-red-mug.json
expect 200 '"available":1,"reserved":0'
curl -s -H 'Authorization: Bearer dev-token' -X PUT localhost:8080/api/inventory/SKU-BLUE-CAP -H 'Content-Type: application/json' \
  --data-binary @samples/stock-blue-cap.json
expect 202 'evt-order-1001'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/order-created.json
eventually 200 '"idempotencyKey":"/shop/checkout evt-order-1001"'
curl -s localhost:8080/stand-ins/shipping
expect 202 'evt-order-1001'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/order-created.json
expect 400 'application/problem+json'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/order-created-invalid.json
expect 200
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/dlq/shipping
expect 200 '"replayed"'
curl -s -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/dlq/shipping/replay
expect 200 'UP'
curl -s localhost:8080/observe/health
expect 200
curl -s localhost:8080/observe/metrics | head

## README: The order story
eventually 200 '"status":"RESERVED"'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/orders/order-1001
expect 200 '"received"'
samples/send-payment-callback.sh samples/payment-succeeded.json
eventually 200 '"status":"CONFIRMED"'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/orders/order-1001
expect 200 '"available":8,"reserved":2'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/inventory/SKU-RED-MUG

## README: User profiles with curl
expect 202 'evt-profile-42-v3'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/user-profile-updated.json
eventually 200 '"idempotencyKey":"/accounts/profile evt-profile-42-v3"'
curl -s localhost:8080/stand-ins/notification
eventually 200 '"idempotencyKey":"/accounts/profile evt-profile-42-v3"'
curl -s localhost:8080/stand-ins/recommendation
eventually 200 '"version":3'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/users/user-42/profile
eventually 200 '"count":1'
curl -s -H 'Authorization: Bearer dev-token' 'localhost:8080/api/analytics/profile-changes?userId=user-42&since=2026-11-01T00:00:00Z'
expect 202 'evt-profile-42-v2'
curl -s -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/user-profile-updated-stale.json
expect 200 '"version":3'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/users/user-42/profile
expect 202 'evt-profile-42-v4'
curl -s -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/user-profile-updated-silent.json
eventually 200 '"idempotencyKey":"/accounts/profile evt-profile-42-v2"'
curl -s localhost:8080/stand-ins/notification
eventually 200 '"version":4'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/users/user-42/profile
expect 404 'application/problem+json'
curl -i -H 'Authorization: Bearer dev-token' localhost:8080/api/users/nobody/profile
expect 200
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/dlq/notification
expect 200 '"replayed"'
curl -s -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/dlq/notification/replay

## README: Inventory
expect 200 '"available":8,"reserved":2'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/inventory/SKU-RED-MUG
expect 202 'evt-order-1002'
curl -s -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events -H 'Content-Type: application/cloudevents+json' \
  --data-binary @samples/order-created-1002.json
eventually 200 '"available":5,"reserved":5'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/inventory/SKU-RED-MUG
expect 200 '"received"'
samples/send-payment-callback.sh samples/payment-failed.json
eventually 200 '"status":"CANCELLED","reason":"PAYMENT_FAILED"'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/orders/order-1002
eventually 200 '"available":8,"reserved":2'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/inventory/SKU-RED-MUG
expect 200
curl -s localhost:8080/observe/metrics | grep hub_transaction_reruns || echo 'no reruns yet'

## README: Publishing events
expect 202 'evt-msg-9001'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents+json' --data-binary @samples/chat-message-sent.json
expect 202 'evt-order-3001'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/json' -H 'ce-specversion: 1.0' -H 'ce-id: evt-order-3001' \
  -H 'ce-source: /shop/checkout' -H 'ce-type: OrderCreated' -H 'ce-time: 2026-11-26T10:00:00Z' \
  -H 'ce-traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' \
  --data-binary @samples/order-created-data.json
expect 202 'evt-order-2002'
curl -i -H 'Authorization: Bearer dev-token' -X POST localhost:8080/api/events \
  -H 'Content-Type: application/cloudevents-batch+json' --data-binary @samples/order-created-batch.json
expect 200 'ChatMessageSent'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/schemas
expect 200 '"orderId"'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/schemas/OrderCreated

## README: Files
expect 202 'PENDING'
curl -s -H 'Authorization: Bearer dev-token' -F 'file=@samples/files/hub.png;type=image/png' localhost:8080/api/files | tee target/upload.json
ID=$(sed -E 's/.*"id":"([^"]+)".*/\1/' target/upload.json)
expect 200 'COMPLETED'
curl -N -H 'Authorization: Bearer dev-token' localhost:8080/api/files/$ID/events
expect 200 '"thumbnail-128"'
curl -s -H 'Authorization: Bearer dev-token' localhost:8080/api/files/$ID
expect 200 'PNG'
curl -s -H 'Authorization: Bearer dev-token' -o target/thumb-128.png localhost:8080/api/files/$ID/thumbnails/128

## README: Chat
expect 200 '"userId":"user-42"'
curl -s -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/json' \
  -d '{"userId":"user-42"}' localhost:8080/api/chats/tokens -o target/chat-token-42.json
ALICE=$(sed -E 's/.*"token":"([^"]+)".*/\1/' target/chat-token-42.json)
expect 200 '"userId":"user-43"'
curl -s -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/json' \
  -d '{"userId":"user-43"}' localhost:8080/api/chats/tokens -o target/chat-token-43.json
BOB=$(sed -E 's/.*"token":"([^"]+)".*/\1/' target/chat-token-43.json)
expect 202 'evt-msg-9001'
curl -s -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/cloudevents+json' \
  --data-binary @samples/chat-message-sent.json localhost:8080/api/events
expect 200 '"messageId":"msg-9004"'
curl -sN --max-time 30 -H "Authorization: Bearer $BOB" -H 'Last-Event-ID: 1' localhost:8080/live/chats/chat-7 -o target/chat-7-user-43.txt &
expect 202 'evt-msg-9002'
curl -s -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/cloudevents+json' \
  --data-binary @samples/chat-message-reply.json localhost:8080/api/events
expect 202 'evt-msg-9003'
curl -s -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/cloudevents+json' \
  --data-binary @samples/chat-message-blocked.json localhost:8080/api/events
expect 202 'evt-msg-9004'
curl -s -H 'Authorization: Bearer dev-token' -H 'Content-Type: application/cloudevents+json' \
  --data-binary @samples/chat-message-answer.json localhost:8080/api/events
eventually 200 'chat-moderation-msg-9002/user-44'
curl -s localhost:8080/stand-ins/push
wait
! grep -q 'msg-9003' target/chat-7-user-43.txt || fail 'the blocked message reached user-43 live'
expect 200 '"messageId":"msg-9004"'
curl -sN --max-time 3 -H "Authorization: Bearer $ALICE" -H 'Last-Event-ID: 2' localhost:8080/live/chats/chat-7
! grep -q 'msg-9003' "$body" || fail 'the blocked message came with the reconnect'
expect 200 'shipped'
curl -s -H 'Authorization: Bearer dev-token' -H "X-Chat-Token: $ALICE" 'localhost:8080/api/chats/chat-7/messages?q=shipping'
! grep -q 'msg-9003' "$body" || fail 'the search found the blocked message'

echo "tour: passed, $steps steps: order-1001 CONFIRMED, order-1002 CANCELLED (PAYMENT_FAILED), hub.png COMPLETED, chat-7 without its blocked message" >&2
