#!/usr/bin/env bash
# Renders MetricsEngine's nginx configuration from the templates beside this script.
#
#   NGINX_MODE=alb TRUSTED_PROXIES=10.40.0.0/16 deploy/nginx/render.sh /etc/nginx
#   NGINX_MODE=tls TLS_CERT=/etc/pki/me.crt TLS_KEY=/etc/pki/me.key deploy/nginx/render.sh /etc/nginx
#
# Writes OUT/nginx.conf and OUT/metricsengine/{http,server,locations}.conf. NGINX_MODE chooses
# who terminates TLS:
#   tls  nginx is the edge: HTTPS on HTTPS_PORT, HTTP_PORT only redirects to HTTPS.
#   alb  plain HTTP on HTTP_PORT behind a load balancer that terminates TLS; X-Forwarded-For/Proto
#        are believed from TRUSTED_PROXIES only.
#
# Other settings (environment, defaults for Amazon Linux 2023):
#   CONF_DIR=OUT  NGINX_USER=nginx  NGINX_GROUP=$NGINX_USER  PID_FILE=/run/nginx.pid
#   TEMP_DIR=/var/lib/nginx/tmp
#   ERROR_LOG=/var/log/nginx/error.log  ACCESS_LOG=/var/log/nginx/access.log
#   MIME_TYPES=/etc/nginx/mime.types  UPSTREAM=127.0.0.1:8080  LISTEN_ADDRESS= (all)
#   HTTP_PORT=80  HTTPS_PORT=443  SERVER_NAME=_
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:?usage: NGINX_MODE=tls|alb $0 OUT_DIR}

die() { echo "render.sh: $*" >&2; exit 2; }

mode=${NGINX_MODE:-}
[[ $mode == tls || $mode == alb ]] || die "NGINX_MODE must be 'tls' or 'alb' (got '${mode}')"

declare -A v=(
  [CONF_DIR]=${CONF_DIR:-$out}
  [NGINX_USER]=${NGINX_USER:-nginx}
  [NGINX_GROUP]=${NGINX_GROUP:-${NGINX_USER:-nginx}}
  [PID_FILE]=${PID_FILE:-/run/nginx.pid}
  [TEMP_DIR]=${TEMP_DIR:-/var/lib/nginx/tmp}
  [ERROR_LOG]=${ERROR_LOG:-/var/log/nginx/error.log}
  [ACCESS_LOG]=${ACCESS_LOG:-/var/log/nginx/access.log}
  [MIME_TYPES]=${MIME_TYPES:-/etc/nginx/mime.types}
  [UPSTREAM]=${UPSTREAM:-127.0.0.1:8080}
  [HTTP_PORT]=${HTTP_PORT:-80}
  [HTTPS_PORT]=${HTTPS_PORT:-443}
  [SERVER_NAME]=${SERVER_NAME:-_}
  [TLS_CERT]=${TLS_CERT:-}
  [TLS_KEY]=${TLS_KEY:-}
)

# Values end up inside nginx directives: refuse anything that could end or open one.
for key in "${!v[@]}"; do
  [[ ${v[$key]} != *[\;\{\}\$\'\"[:space:]]* ]] || die "$key contains a character nginx would interpret: '${v[$key]}'"
done
[[ ${LISTEN_ADDRESS:-} =~ ^([0-9.]+|\[[0-9a-fA-F:]+\])?$ ]] || die "LISTEN_ADDRESS must be an IP address"
v[LISTEN_ADDRESS]=${LISTEN_ADDRESS:+$LISTEN_ADDRESS:}
for key in HTTP_PORT HTTPS_PORT; do
  [[ ${v[$key]} =~ ^[0-9]{1,5}$ ]] || die "$key must be a port number"
done
upstream_re='^[][A-Za-z0-9.:_-]+:[0-9]{1,5}$'
[[ ${v[UPSTREAM]} =~ $upstream_re ]] || die "UPSTREAM must be host:port"
v[HTTPS_PORT_SUFFIX]=$([[ ${v[HTTPS_PORT]} == 443 ]] || echo ":${v[HTTPS_PORT]}")

if [[ $mode == tls ]]; then
  [[ -n ${v[TLS_CERT]} && -n ${v[TLS_KEY]} ]] || die "NGINX_MODE=tls needs TLS_CERT and TLS_KEY"
else
  proxies=${TRUSTED_PROXIES:-}
  [[ -n $proxies ]] || die "NGINX_MODE=alb needs TRUSTED_PROXIES (the load balancer's CIDRs, e.g. the VPC CIDR)"
  v[SET_REAL_IP_FROM]=''
  v[GEO_TRUSTED_PROXIES]=''
  for cidr in ${proxies//,/ }; do
    [[ $cidr =~ ^[0-9a-fA-F.:]+(/[0-9]{1,3})?$ ]] || die "TRUSTED_PROXIES: '$cidr' is not an address or CIDR"
    v[SET_REAL_IP_FROM]+="set_real_ip_from $cidr;"$'\n'
    v[GEO_TRUSTED_PROXIES]+="    $cidr 1;"$'\n'
  done
fi

render() {
  local template=$1 target=$2 text key
  text=$(<"$template")
  for key in "${!v[@]}"; do
    text=${text//@@$key@@/${v[$key]}}
  done
  if [[ $text =~ @@[A-Z_]+@@ ]]; then
    die "$(basename "$template"): ${BASH_REMATCH[0]} has no value"
  fi
  printf '%s\n' "$text" >"$target"
}

mkdir -p "$out/metricsengine"
render "$here/nginx.conf.template" "$out/nginx.conf"
render "$here/http.conf.template" "$out/metricsengine/http.conf"
render "$here/server-$mode.conf.template" "$out/metricsengine/server.conf"
render "$here/locations.conf.template" "$out/metricsengine/locations.conf"
echo "Rendered nginx configuration (mode $mode) into $out" >&2
