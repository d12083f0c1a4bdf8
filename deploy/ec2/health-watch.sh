#!/usr/bin/env bash
# The liveness watch of one instance, run every 30 s by metricsengine-health.timer (as root). The
# Auto Scaling group's health check is EC2's; this decides when the process itself is dead
# (docs/adr/liveness-decides-replacement.md):
#
#   /health/live through nginx (never touches the database) fails 3 times in a row (90 s)
#       -> restart the API (and nginx if it is down), once
#   ... and still fails after 6 (3 min)
#       -> mark this instance Unhealthy in its group, which replaces it
#
# A database outage makes /health/ready fail, never /health/live: the instance is left alone.
# It also publishes, to the MetricsEngine namespace with the group as dimension:
#   DatabaseReachable    1 when /health sees the database, 0 when not (only while the API is live)
#   QueryPoolWaits       stored-SQL runs that waited for a sandbox connection, since the last run
#   QueryPoolSlowWaits   ... of which waited longer than SLOW_WAIT_SECONDS (1 s)
# The last two come from the histogram metricsengine_query_admission_wait_seconds on the
# Prometheus port, which the CloudWatch agent's scraper drops (docs/adr/engine-metrics-in-cloudwatch.md).
#
# Settings (defaults for an instance; deploy/checks points them elsewhere):
#   LIVE_URL HEALTH_URL PROMETHEUS_URL STATE_DIR BOOTED_FLAG RESTART_AFTER REPLACE_AFTER SLOW_WAIT_SECONDS
set -euo pipefail
shopt -s inherit_errexit

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/ec2/lib.sh
. "$here/lib.sh"
load_stack_env
[[ -n ${AUTOSCALING_GROUP:-} && -n ${INSTANCE_ID:-} ]] || die "stack.env names no AUTOSCALING_GROUP and INSTANCE_ID"

live_url=${LIVE_URL:-http://127.0.0.1/health/live}
health_url=${HEALTH_URL:-http://127.0.0.1:8080/health}
state_dir=${STATE_DIR:-/run/metricsengine-health}
booted_flag=${BOOTED_FLAG:-/run/metricsengine/booted}
restart_after=${RESTART_AFTER:-3}
replace_after=${REPLACE_AFTER:-6}
slow_wait=${SLOW_WAIT_SECONDS:-1}
if [[ -z ${PROMETHEUS_URL:-} ]]; then
  port=$(sed -n 's/^Telemetry__PrometheusPort="\([0-9]*\)"$/\1/p' /run/metricsengine.env 2>/dev/null || true)
  PROMETHEUS_URL=http://127.0.0.1:${port:-9464}/metrics
fi

# Until bootstrap.sh has finished, the launch lifecycle hook is the judge, not this.
[[ -e $booted_flag ]] || exit 0
mkdir -p "$state_dir"

say() { echo "health-watch: $*"; }
read_state() { cat "$state_dir/$1" 2>/dev/null || echo "${2:-0}"; }

metric_data='[]'
add_metric() { # add_metric NAME VALUE
  metric_data=$(jq -c --arg name "$1" --argjson value "$2" --arg group "$AUTOSCALING_GROUP" \
    '. + [{MetricName: $name, Value: $value, Unit: "Count", Dimensions: [{Name: "AutoScalingGroupName", Value: $group}]}]' <<<"$metric_data")
}

# ------------------------------------------------------------------ liveness
failures=$(read_state live-failures)
if curl -fsS -o /dev/null --max-time 5 "$live_url"; then
  ((failures == 0)) || say "live again after $failures failed check(s)"
  failures=0
  rm -f "$state_dir/restarted"
else
  failures=$((failures + 1))
  say "$live_url failed ($failures in a row)"
fi
echo "$failures" >"$state_dir/live-failures"

if ((failures >= replace_after)); then
  say "still not live after $failures checks: marking $INSTANCE_ID unhealthy in $AUTOSCALING_GROUP (it will be replaced)"
  aws autoscaling set-instance-health --instance-id "$INSTANCE_ID" --health-status Unhealthy --no-should-respect-grace-period
elif ((failures >= restart_after)) && [[ ! -e $state_dir/restarted ]]; then
  say "not live for $failures checks: restarting the API"
  touch "$state_dir/restarted"
  systemctl is-active --quiet nginx.service || systemctl restart nginx.service || say "nginx would not restart"
  systemctl restart metricsengine.service || say "the API would not restart"
fi

# ------------------------------------------------------------------ database, as the API sees it
if ((failures == 0)); then
  if curl -fsS -o /dev/null --max-time 5 "$health_url" 2>/dev/null; then add_metric DatabaseReachable 1; else add_metric DatabaseReachable 0; fi
fi

# ------------------------------------------------------------------ pool waits, from the histogram
if scrape=$(curl -fsS --max-time 5 "$PROMETHEUS_URL" 2>/dev/null); then
  read -r waits fast < <(awk -v limit="$slow_wait" '
    /^metricsengine_query_admission_wait_seconds_count[{ ]/ { count += $NF }
    /^metricsengine_query_admission_wait_seconds_bucket\{/ {
      if (match($0, /le="[^"]*"/)) {
        le = substr($0, RSTART + 4, RLENGTH - 5)
        if (le != "+Inf" && le + 0 <= limit + 0) { under[le] += $NF; if (le + 0 >= best + 0) best = le }
      }
    }
    END { printf "%d %d\n", count, (best == "" ? 0 : under[best]) }' <<<"$scrape")
  if [[ -e $state_dir/pool-waits ]]; then
    previous_waits=$(read_state pool-waits)
    previous_fast=$(read_state pool-fast-waits)
    # A restarted API starts its counters again from zero.
    ((waits >= previous_waits)) || { previous_waits=0; previous_fast=0; }
    add_metric QueryPoolWaits $((waits - previous_waits))
    add_metric QueryPoolSlowWaits $(((waits - fast) - (previous_waits - previous_fast)))
  fi
  echo "$waits" >"$state_dir/pool-waits"
  echo "$fast" >"$state_dir/pool-fast-waits"
fi

if [[ $metric_data != '[]' ]]; then
  aws cloudwatch put-metric-data --namespace MetricsEngine --metric-data "$metric_data" ||
    say "metrics not published (CloudWatch unreachable?)"
fi
