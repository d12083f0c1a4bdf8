#!/usr/bin/env bash
# After a deploy, through the public HTTPS endpoint: /health and /health/ready answer 200, a call
# without a token is refused (401), and a real client-credentials token from the stack's Cognito
# pool is accepted (an unknown metric id gives 404, not 401/403).
#
# Environment: STACK_NAME
set -euo pipefail
# shellcheck source=deploy/ci/lib.sh
. "$(dirname "$0")/lib.sh"
require_env STACK_NAME

api_url=$(stack_output ApiUrl)
balancer=$(stack_output LoadBalancerDnsName)
pool=$(stack_output UserPoolId)
client=$(stack_output UserPoolClientId)
token_endpoint=$(stack_output TokenEndpoint)
host=${api_url#https://}
# Reach the load balancer even before a DNS record for ApiDomainName exists (TLS still checks the name).
curl_api=(curl -sS --max-time 30 --connect-to "$host:443:$balancer:443")

deadline=$((SECONDS + 300))
until health=$("${curl_api[@]}" -f "$api_url/health" 2>/dev/null); do
  ((SECONDS < deadline)) || die "$api_url/health did not answer 200 within 5 minutes"
  sleep 10
done
[[ $(jq -c . <<<"$health") == '{"application":true,"database":true}' ]] || die "/health answered $health"
status=$("${curl_api[@]}" -o /dev/null -w '%{http_code}' "$api_url/health/ready")
[[ $status == 200 ]] || die "/health/ready answered $status"

probe=$api_url/metrics/00000000-0000-4000-8000-000000000000
status=$("${curl_api[@]}" -o /dev/null -w '%{http_code}' "$probe")
[[ $status == 401 ]] || die "GET /metrics/{id} without a token answered $status, expected 401"

secret=$(aws cognito-idp describe-user-pool-client --user-pool-id "$pool" --client-id "$client" \
  --query UserPoolClient.ClientSecret --output text)
echo "::add-mask::$secret"
token=$(curl -fsS --max-time 30 -u "$client:$secret" -d grant_type=client_credentials -d scope=api/metrics.read \
  "$token_endpoint" | jq -er .access_token)
echo "::add-mask::$token"
status=$("${curl_api[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$probe")
[[ $status == 404 ]] || die "GET /metrics/{unknown id} with a valid token answered $status, expected 404"

echo "smoke test passed: $api_url /health $health, /health/ready 200, 401 without a token, Cognito token accepted (404 for an unknown metric)"
