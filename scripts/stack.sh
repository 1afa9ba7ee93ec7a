#!/usr/bin/env bash
# Starts / stops the Sathi processes: portal backend, action server, rasa server
# (and the WhatsApp Graph API emulator when channels/ has it). Idempotent.
#   scripts/stack.sh up | down | status | shell [PHONE]
# Ports and the state folder come from the environment (defaults below), so tests can run a
# stack of their own beside a developer's.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
[ -f .env ] && set -a && . ./.env && set +a
export SATHI_HOME=$ROOT
export SATHI_VAR=${SATHI_VAR:-$ROOT/var}
export SATHI_PROFILE=${SATHI_PROFILE:-trainer}
export SATHI_PORTAL_PORT=${SATHI_PORTAL_PORT:-8070}
export SATHI_ACTIONS_PORT=${SATHI_ACTIONS_PORT:-5055}
export SATHI_RASA_PORT=${SATHI_RASA_PORT:-5005}
export SATHI_SHELL_PORT=${SATHI_SHELL_PORT:-5006}
export SATHI_EMULATOR_PORT=${SATHI_EMULATOR_PORT:-8071}
# operator pages (operator_console/): trainer chat (trainers' profile only), officials' dashboard
export SATHI_CHAT_PORT=${SATHI_CHAT_PORT:-8072}
export SATHI_DASHBOARD_PORT=${SATHI_DASHBOARD_PORT:-8073}
export SATHI_PORTAL_URL=${SATHI_PORTAL_URL:-http://127.0.0.1:$SATHI_PORTAL_PORT/api/v1}
export SATHI_ACTIONS_URL=${SATHI_ACTIONS_URL:-http://127.0.0.1:$SATHI_ACTIONS_PORT/webhook}
export SATHI_DOWNLOAD_BASE_URL=${SATHI_DOWNLOAD_BASE_URL:-http://127.0.0.1:$SATHI_RASA_PORT}
export SATHI_PORTAL_DB_URL=${SATHI_PORTAL_DB_URL:-sqlite:///$SATHI_VAR/data/portal.db}
[ "$SATHI_PROFILE" = production ] || export SATHI_BOT_STORE_URL=${SATHI_BOT_STORE_URL:-sqlite:///$SATHI_VAR/data/bot_store.db}
export SATHI_TRACKER_DB=${SATHI_TRACKER_DB:-$SATHI_VAR/data/tracker.db}
# The tracker store as an SQLAlchemy URL, for erasure and retention (bot_store/erasure.py).
if [ "$SATHI_PROFILE" = production ]; then
  export SATHI_TRACKER_STORE_URL=${SATHI_TRACKER_STORE_URL:-postgresql://${SATHI_TRACKER_DB_USER:-postgres}:${SATHI_TRACKER_DB_PASSWORD:-}@${SATHI_TRACKER_DB_HOST:-127.0.0.1}:${SATHI_TRACKER_DB_PORT:-5432}/${SATHI_TRACKER_DB_NAME:-sathi}}
else
  export SATHI_TRACKER_STORE_URL=${SATHI_TRACKER_STORE_URL:-sqlite:///$SATHI_TRACKER_DB}
fi
export RASA_TELEMETRY_ENABLED=false SANIC_NO_UVLOOP=true TF_CPP_MIN_LOG_LEVEL=3
# SATHI_LOG_LEVEL=DEBUG: rasa server and action server log at DEBUG (logs stay masked:
# sathi/privacy.py). Default INFO.
export SATHI_LOG_LEVEL=${SATHI_LOG_LEVEL:-INFO}
export LOG_LEVEL=$SATHI_LOG_LEVEL
SATHI_LOG_FLAGS=""; [ "$SATHI_LOG_LEVEL" = DEBUG ] && SATHI_LOG_FLAGS="--debug"
export PYTHONPATH=$ROOT
mkdir -p "$SATHI_VAR"/{log,run,data}
# Secrets. The trainers' profile generates any that the environment lacks, once per state
# folder (var/run/). The production profile never invents one: `check_config` (below) stops
# `up` with one line per missing secret or password.
if [ "$SATHI_PROFILE" != production ]; then
  secret() { local f="$SATHI_VAR/run/$1"; [ -s "$f" ] || (umask 077; python3 -c 'import secrets;print(secrets.token_urlsafe(32))' > "$f"); cat "$f"; }
  export SATHI_PORTAL_SERVICE_KEY=${SATHI_PORTAL_SERVICE_KEY:-$(secret portal_service_key)}
  export SATHI_RASA_API_TOKEN=${SATHI_RASA_API_TOKEN:-$(secret rasa_api_token)}
  export SATHI_CHANNEL_SECRET=${SATHI_CHANNEL_SECRET:-$(secret channel_secret)}
  export SATHI_ACTION_TOKEN=${SATHI_ACTION_TOKEN:-$(secret action_token)}
  export WHATSAPP_APP_SECRET=${WHATSAPP_APP_SECRET:-$(secret whatsapp_app_secret)}
  export WHATSAPP_VERIFY_TOKEN=${WHATSAPP_VERIFY_TOKEN:-$(secret whatsapp_verify_token)}
  export WHATSAPP_ACCESS_TOKEN=${WHATSAPP_ACCESS_TOKEN:-$(secret whatsapp_access_token)}
  export WHATSAPP_PHONE_NUMBER_ID=${WHATSAPP_PHONE_NUMBER_ID:-100000000000001}
  export SATHI_DASHBOARD_PASSWORD=${SATHI_DASHBOARD_PASSWORD:-$(secret dashboard_password)}
fi
export SATHI_DASHBOARD_USER=${SATHI_DASHBOARD_USER:-staff}
# Every setting is typed and checked by sathi/settings.py: a bad value, or in the production
# profile a missing secret (the variables marked production=True there), stops the start with
# one line per variable, before anything starts.
check_config() { "$PY" -m sathi.settings check; }
# The schemas at the newest migration (Alembic; docs/migrations.md): the bot store, and the
# reference portal's when it runs here. A pre-Alembic database is adopted in place.
migrate() {
  local log="$SATHI_VAR/log/migrations.log"
  if ! "$PY" -m bot_store.migrations >>"$log" 2>&1; then
    echo "  bot store: migration failed; see $log" >&2; tail -20 "$log" >&2; return 1
  fi
  if reference_portal && ! "$PY" -m portal_backend migrate >>"$log" 2>&1; then
    echo "  portal: migration failed; see $log" >&2; tail -20 "$log" >&2; return 1
  fi
  echo "  schemas: at the newest migration"
}
if [ "$SATHI_PROFILE" = production ]; then
  export WHATSAPP_GRAPH_URL=${WHATSAPP_GRAPH_URL:-https://graph.facebook.com}
  # endpoints.production.yml: PostgreSQL tracker store, Redis lock store (.env.example defaults)
  export SATHI_TRACKER_DB_HOST=${SATHI_TRACKER_DB_HOST:-127.0.0.1} SATHI_TRACKER_DB_PORT=${SATHI_TRACKER_DB_PORT:-5432}
  export SATHI_TRACKER_DB_NAME=${SATHI_TRACKER_DB_NAME:-sathi} SATHI_TRACKER_DB_USER=${SATHI_TRACKER_DB_USER:-postgres}
  export SATHI_TRACKER_DB_PASSWORD=${SATHI_TRACKER_DB_PASSWORD:-}
  export SATHI_REDIS_HOST=${SATHI_REDIS_HOST:-127.0.0.1} SATHI_REDIS_PORT=${SATHI_REDIS_PORT:-6379}
  export SATHI_REDIS_DB=${SATHI_REDIS_DB:-1} SATHI_REDIS_PASSWORD=${SATHI_REDIS_PASSWORD:-}
  export SATHI_REDIS_USERNAME=${SATHI_REDIS_USERNAME:-default}
else
  export WHATSAPP_GRAPH_URL=${WHATSAPP_GRAPH_URL:-http://127.0.0.1:$SATHI_EMULATOR_PORT}
fi
export WHATSAPP_GRAPH_VERSION=${WHATSAPP_GRAPH_VERSION:-v21.0}

PY=$ROOT/.venv/bin/python
RASA=$ROOT/.venv/bin/rasa
if [ "$SATHI_PROFILE" = production ]; then
  ENDPOINTS=endpoints.production.yml; CREDENTIALS=credentials.production.yml
else
  ENDPOINTS=endpoints.yml; CREDENTIALS=credentials.yml
fi

pidfile() { echo "$SATHI_VAR/run/$1.pid"; }
# A process that has exited but is not yet reaped (a zombie) counts as gone: its parent is
# often PID 1, which in some sandboxes reaps only every second or two, and waiting for that
# cost every stop about 2 s.
running() { # pid
  local state
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 1
  state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null)
  [ "$state" != Z ]
}
alive() { local p; p=$(cat "$(pidfile "$1")" 2>/dev/null) && running "$p"; }
answers() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

# Processes start side by side: `start` spawns one, `wait_started` waits until every one
# spawned answers at its health URL (rasa's model load is most of the wait; one by one, a
# stack took about 14 s to start).
PENDING=()  # "name url" of the processes spawned by this run that have not answered yet
start() { # name health-url command...
  local name=$1 url=$2; shift 2
  if alive "$name" && answers "$url"; then echo "  $name: already running"; return 0; fi
  if answers "$url"; then echo "  $name: something else answers at $url; stop it first" >&2; return 1; fi
  setsid nohup "$@" >>"$SATHI_VAR/log/$name.log" 2>&1 < /dev/null &
  echo $! > "$(pidfile "$name")"
  PENDING+=("$name $url")
}
wait_started() {
  local waited=0 entry name url left
  while [ ${#PENDING[@]} -gt 0 ]; do
    left=()
    for entry in "${PENDING[@]}"; do
      name=${entry%% *}; url=${entry#* }
      if answers "$url"; then echo "  $name: up ($url)"; continue; fi
      if ! alive "$name"; then
        echo "  $name: exited during start-up; see $SATHI_VAR/log/$name.log" >&2
        tail -20 "$SATHI_VAR/log/$name.log" >&2; return 1
      fi
      left+=("$entry")
    done
    PENDING=("${left[@]}")
    [ ${#PENDING[@]} -eq 0 ] && break
    sleep 0.2; waited=$((waited+1))
    if [ $waited -gt 900 ]; then
      for entry in "${PENDING[@]}"; do echo "  ${entry%% *}: no answer at ${entry#* } after 180 s" >&2; done
      return 1
    fi
  done
}

stop() { # names...: SIGTERM to every one at once, up to 10 s for all to exit, then SIGKILL
  local name p i left pids=() names=()
  for name in "$@"; do
    p=$(cat "$(pidfile "$name")" 2>/dev/null) || continue
    if running "$p"; then
      kill -TERM -- "-$p" 2>/dev/null || kill -TERM "$p" 2>/dev/null
      pids+=("$p"); names+=("$name")
    fi
  done
  for _ in $(seq 1 40); do
    left=0
    for p in "${pids[@]}"; do running "$p" && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.25
  done
  for i in "${!pids[@]}"; do
    kill -KILL -- "-${pids[$i]}" 2>/dev/null || true  # and whatever it left in its group
    echo "  ${names[$i]}: stopped"
  done
  for name in "$@"; do rm -f "$(pidfile "$name")"; done
}

# The reference portal and the Graph emulator run only when the configuration points at them
# (production points SATHI_PORTAL_URL at the department's gateway and WhatsApp at Meta).
reference_portal() {
  case "$SATHI_PORTAL_URL" in
    http://127.0.0.1:$SATHI_PORTAL_PORT/*|http://localhost:$SATHI_PORTAL_PORT/*) return 0 ;;
    *) return 1 ;;
  esac
}
up_portal() {
  if ! reference_portal; then
    echo "  portal: external ($SATHI_PORTAL_URL), reference backend not started"; return 0
  fi
  restart_if_stale portal portal_backend
  start portal "http://127.0.0.1:$SATHI_PORTAL_PORT/api/v1/health" \
    "$PY" -m portal_backend serve --host 127.0.0.1 --port "$SATHI_PORTAL_PORT"
}
up_emulator() {
  [ -f tools/graph_emulator/__main__.py ] || return 0
  case "$WHATSAPP_GRAPH_URL" in
    http://127.0.0.1:$SATHI_EMULATOR_PORT*|http://localhost:$SATHI_EMULATOR_PORT*) ;;
    *) return 0 ;;
  esac
  start graph-emulator "http://127.0.0.1:$SATHI_EMULATOR_PORT/health" \
    "$PY" -m tools.graph_emulator --host 127.0.0.1 --port "$SATHI_EMULATOR_PORT"
}
# A process started before its code or model changed is restarted by `up`.
stale() { # name paths...
  local name=$1; shift
  local pf; pf=$(pidfile "$name")
  alive "$name" || return 1
  [ -n "$(find "$@" -newer "$pf" -type f \( -name '*.py' -o -name '*.tar.gz' -o -name '*.yml' \) 2>/dev/null | head -1)" ]
}
restart_if_stale() { # name paths...
  local name=$1; shift
  if stale "$name" "$@"; then echo "  $name: code or model changed, restarting"; stop "$name"; fi
}

up_actions() {
  restart_if_stale actions actions portal_client sathi bot_store
  start actions "http://127.0.0.1:$SATHI_ACTIONS_PORT/health" \
    "$PY" -m actions.server --host 127.0.0.1 --port "$SATHI_ACTIONS_PORT" $SATHI_LOG_FLAGS
}
up_rasa() {
  restart_if_stale rasa models/sathi.tar.gz channels bot_store sathi sathi_nlu sathi_dialogue "$ENDPOINTS" "$CREDENTIALS"
  # production serves no REST channel: its health is the WhatsApp channel's
  local health=webhooks/rest/
  [ "$SATHI_PROFILE" = production ] && health=webhooks/whatsapp/
  # --auth-token=VALUE: a generated token may begin with "-", which rasa's argparse would
  # otherwise take for an option (the start then fails)
  start rasa "http://127.0.0.1:$SATHI_RASA_PORT/$health" \
    "$RASA" run --model models/sathi.tar.gz --interface 127.0.0.1 --port "$SATHI_RASA_PORT" \
      --endpoints "$ENDPOINTS" --credentials "$CREDENTIALS" --enable-api \
      --auth-token="$SATHI_RASA_API_TOKEN" --log-file "$SATHI_VAR/log/rasa-server.log" $SATHI_LOG_FLAGS
}

# The operator pages (docs/operator-console.md): the chat only for trainers.
up_chat() {
  [ "$SATHI_PROFILE" = production ] && return 0
  restart_if_stale trainer-chat operator_console tools/webhook_client.py
  start trainer-chat "http://127.0.0.1:$SATHI_CHAT_PORT/health" \
    "$PY" -m operator_console chat --host 127.0.0.1 --port "$SATHI_CHAT_PORT"
}
up_dashboard() {
  restart_if_stale dashboard operator_console bot_store
  start dashboard "http://127.0.0.1:$SATHI_DASHBOARD_PORT/health" \
    "$PY" -m operator_console dashboard --host 127.0.0.1 --port "$SATHI_DASHBOARD_PORT"
}

case "${1:-}" in
  up)
    check_config || exit 1
    echo "Sathi stack (profile $SATHI_PROFILE, state in $SATHI_VAR):"
    migrate || exit 1
    up_portal && up_emulator && up_actions && up_rasa && up_chat && up_dashboard && wait_started ;;
  down)
    stop dashboard trainer-chat rasa actions graph-emulator portal ;;
  status)
    for n in portal graph-emulator actions rasa trainer-chat dashboard; do
      if alive "$n"; then echo "$n: running (pid $(cat "$(pidfile "$n")"))"; else echo "$n: stopped"; fi
    done ;;
  shell)
    check_config || exit 1
    phone=${2:-}
    if [ -z "$phone" ]; then
      phone=$("$PY" -m portal_backend demo-ids --json | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["job_cards"][0]["mobile"])')
    fi
    [ "$SATHI_PROFILE" = production ] || echo "trainer chat (WhatsApp look, in a browser): http://127.0.0.1:$SATHI_CHAT_PORT/chat/"
    echo "dashboard: http://127.0.0.1:$SATHI_DASHBOARD_PORT/dashboard/ (login $SATHI_DASHBOARD_USER; password: SATHI_DASHBOARD_PASSWORD or $SATHI_VAR/run/dashboard_password)"
    echo "rasa shell as $phone (change with PHONE=...; /restart starts over; /stop leaves)"
    exec env PYTHONWARNINGS=ignore "$RASA" shell --model models/sathi.tar.gz --interface 127.0.0.1 --port "$SATHI_SHELL_PORT" \
      --endpoints "$ENDPOINTS" --conversation-id "$phone" ;;
  env)
    env | grep -E '^(SATHI_|WHATSAPP_)' | sort ;;
  # One process at a time (resilience tests, tools/chaos.py): portal | graph-emulator | actions | rasa
  stop-one)
    case "${2:-}" in portal|graph-emulator|actions|rasa|trainer-chat|dashboard) stop "$2" ;;
      *) echo "usage: $0 stop-one portal|graph-emulator|actions|rasa" >&2; exit 2 ;; esac ;;
  start-one)
    check_config || exit 1
    case "${2:-}" in portal) up_portal ;; graph-emulator) up_emulator ;; actions) up_actions ;;
      rasa) up_rasa ;; trainer-chat) up_chat ;; dashboard) up_dashboard ;;
      *) echo "usage: $0 start-one portal|graph-emulator|actions|rasa" >&2; exit 2 ;; esac
    wait_started ;;
  *) echo "usage: $0 up|down|status|shell [PHONE]|env|stop-one NAME|start-one NAME" >&2; exit 2 ;;
esac
