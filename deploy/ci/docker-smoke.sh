#!/usr/bin/env bash
# Runs the built image the way docker-compose.yml does and waits for Docker's own health status:
# PostgreSQL, the one-shot 'migrate' verb, then the API, which must become "healthy" through the
# image's HEALTHCHECK and run as a non-root user. For CI runners with a Docker engine.
#
#   deploy/ci/docker-smoke.sh IMAGE
set -euo pipefail
image=${1:?usage: $0 IMAGE}
net=metricsengine-smoke-$$
cleanup() {
  docker rm -f "$net-api" "$net-db" >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
}
trap cleanup EXIT

docker network create "$net" >/dev/null
docker run -d --name "$net-db" --network "$net" -e POSTGRES_PASSWORD=smoke -e POSTGRES_DB=metrics postgres:17-alpine >/dev/null
until docker exec "$net-db" pg_isready -U postgres -d metrics >/dev/null 2>&1; do sleep 1; done

settings=(
  -e "ConnectionStrings__Metrics=Host=$net-db;Port=5432;Database=metrics;Username=postgres;Password=smoke"
  -e ASPNETCORE_ENVIRONMENT=Testing
  -e Auth__Authority=http://127.0.0.1:9/none
  -e Auth__ClientIds__0=smoke
  -e Auth__RequireHttpsMetadata=false
)
docker run --rm --network "$net" "${settings[@]}" "$image" migrate
docker run -d --name "$net-api" --network "$net" -p 127.0.0.1:18080:8080 "${settings[@]}" "$image" >/dev/null

for _ in $(seq 1 60); do
  health=$(docker inspect --format '{{.State.Health.Status}}' "$net-api")
  [[ $health == healthy ]] && break
  [[ $(docker inspect --format '{{.State.Running}}' "$net-api") == true ]] || { docker logs "$net-api"; exit 1; }
  sleep 2
done
[[ $health == healthy ]] || { docker logs "$net-api"; echo "::error::the container never became healthy ($health)"; exit 1; }
uid=$(docker exec "$net-api" id -u)
[[ $uid != 0 ]] || { echo "::error::the API runs as root"; exit 1; }
curl -fsS http://127.0.0.1:18080/health/ready
# The image carries the dashboard (built in the Dockerfile's Node stage) and serves it.
curl -fsS http://127.0.0.1:18080/dashboard/ | grep -q '<title>MetricsEngine dashboard</title>' ||
  { echo "::error::the image does not serve the dashboard at /dashboard/"; exit 1; }
echo
echo "image $image: healthy by its HEALTHCHECK, runs as uid $uid, /health/ready 200, /dashboard/ served"
