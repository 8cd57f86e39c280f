-- wrk script for benchmarks/load.py's /healthz probe: each connection waits LOAD_PROBE_MS
-- (default 20) between requests, so the probe measures the server without loading it.
local pause = tonumber(os.getenv("LOAD_PROBE_MS") or "20")

function delay()
  return pause
end
