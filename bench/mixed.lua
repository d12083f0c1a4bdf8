-- Mixed load for bench/reliability.sh: cached reads, the list, uncached reads (a new as_of each
-- time), and record writes with an Idempotency-Key each. Counts every status per thread.
local threads = {}
local metric = "b0000000-0000-4000-8000-000000000000"

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  n = 0
end

function request()
  n = n + 1
  local pick = n % 20
  if pick < 12 then
    return wrk.format("GET", "/metrics/" .. metric)
  elseif pick < 15 then
    return wrk.format("GET", "/metrics?page=1&page_size=50")
  elseif pick < 18 then
    local day = 1 + (n * 7 + id) % 28
    return wrk.format("GET", string.format("/metrics/%s?start_date=2024-06-%02d", metric, day))
  else
    -- wrk.format's headers replace wrk.headers (the -H Authorization) rather than add to them.
    local headers = {}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    headers["Content-Type"] = "application/json"
    headers["Idempotency-Key"] = string.format("mixed-%d-%d-%d", id, n, os.time())
    return wrk.format("POST", "/metrics/" .. metric .. "/metric-records", headers, '{ "parts_flagged": 1, "alert_type": "mixed" }')
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, count in pairs(s) do total[code] = (total[code] or 0) + count end
  end
  local parts = {}
  for code, count in pairs(total) do table.insert(parts, code .. ": " .. count) end
  table.sort(parts)
  io.write("STATUSES " .. table.concat(parts, ", ") .. "\n")
  io.write(string.format("LATENCY %.2f %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  io.write(string.format("ERRORS connect=%d read=%d write=%d timeout=%d\n", summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
