-- wrk script for benchmarks/load.py: POST /v1/summaries with a JSON body {"text": ...}.
--
-- Environment (set by load.py):
--   LOAD_TEXT_FILE  the article, already escaped as the inside of a JSON string
--   LOAD_MODE       same: every request has the same body (cache hits, precomputed by wrk)
--                   distinct: every request its own body (misses, flood), "Edition <salt>-<thread>-<n>"
--   LOAD_SALT       makes distinct bodies differ from those of an earlier run
--   LOAD_TRACK      1: write each response's status and Server-Timing to LOAD_OUT.thread<N>
--   LOAD_OUT        where done() writes its JSON summary
local text_file = assert(os.getenv("LOAD_TEXT_FILE"), "LOAD_TEXT_FILE is not set")
local mode = os.getenv("LOAD_MODE") or "same"
local salt = os.getenv("LOAD_SALT") or "0"
local track = os.getenv("LOAD_TRACK") == "1"
local out_path = assert(os.getenv("LOAD_OUT"), "LOAD_OUT is not set")

local f = assert(io.open(text_file, "rb"))
local text = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = os.getenv("LOAD_PATH") or "/v1/summaries"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"' .. text .. '"}'

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  counter = 0
  if track then
    -- one line per response, "<status> <server ms>", in a file of this thread's own
    -- (wrk's thread:get cannot hand large tables back to done() without crashing)
    log = assert(io.open(out_path .. ".thread" .. tid, "w"))
    logged = 0
  end
end

if mode == "distinct" then
  function request()
    counter = counter + 1
    local body = '{"text":"' .. text .. '\\n\\nEdition ' .. salt .. '-' .. tid .. '-' .. counter .. '."}'
    return wrk.format(nil, nil, nil, body)
  end
end

if track then
  function response(status, headers, body)
    local timing = headers["server-timing"] or headers["Server-Timing"] or ""
    log:write(status, " ", string.match(timing, "dur=([%d%.]+)") or "-", "\n")
    logged = logged + 1
    if logged % 1000 == 0 then log:flush() end
  end
end

local function quantiles(latency)
  local parts = {}
  -- p50, and p90 to p99.9 in steps of 0.1 (keys as "%g": "50", "99", "99.9")
  local qs = {50}
  for i = 900, 999 do qs[#qs + 1] = i / 10 end
  for _, q in ipairs(qs) do
    parts[#parts + 1] = string.format('"%g": %.1f', q, latency:percentile(q))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = assert(io.open(out_path, "w"))
  out:write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "threads": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": %s, "latency_mean_us": %.1f, "latency_max_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, #threads,
    e.connect, e.read, e.write, e.status, e.timeout,
    quantiles(latency), latency.mean, latency.max))
  out:close()
end
