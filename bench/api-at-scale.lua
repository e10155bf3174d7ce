-- wrk script for bench/api-at-scale.sh: each request carries the token of one of the tenants in turn
-- (TOKENS, comma-separated). With BUST=1 each request ends its window one second earlier than the last,
-- so no two requests are the same query and the API's short TTL cache never answers.
local tokens, path, bust, n = {}, os.getenv("API_PATH"), os.getenv("BUST") == "1", 0
for t in string.gmatch(os.getenv("TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
-- UNTIL_EPOCH: the newest data (bench/api-at-scale.sh); else the clock
local now, threads, tid = tonumber(os.getenv("UNTIL_EPOCH") or "") or os.time(), 0, 0

setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

request = function()
  n = n + 1
  local p = path
  if bust then
    local sep = string.find(p, "?", 1, true) and "&" or "?"
    p = p .. sep .. "until=" .. os.date("!%Y-%m-%dT%H:%M:%S", now - n) .. string.format(".%03dZ", tid)
  end
  return wrk.format("GET", p, { ["Authorization"] = "Bearer " .. tokens[1 + n % #tokens] })
end

done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d errors=%d non2xx=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
