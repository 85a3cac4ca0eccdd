#!/usr/bin/env bash
# Uploads samples/files/hub.png to a hub run with `mvn compile camel:run`, follows its status
# stream until it is final, then fetches its 128 px thumbnail into ./thumb-128.png.
set -euo pipefail
HUB=${HUB:-http://127.0.0.1:8080}
AUTH='Authorization: Bearer dev-token'
HERE=$(dirname "$0")
ANSWER=$(curl -sf -H "$AUTH" -F "file=@$HERE/hub.png;type=image/png" "$HUB/api/files")
echo "$ANSWER"
ID=$(echo "$ANSWER" | sed -E 's/.*"id":"([^"]+)".*/\1/')
curl -sN -H "$AUTH" "$HUB/api/files/$ID/events"
curl -sf -H "$AUTH" "$HUB/api/files/$ID"; echo
curl -sf -H "$AUTH" -o thumb-128.png "$HUB/api/files/$ID/thumbnails/128" && echo "thumbnail: thumb-128.png"
