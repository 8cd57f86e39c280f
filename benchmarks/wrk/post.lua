-- wrk script for benchmarks/load.py: POST /v1/summaries with a JSON body {"text": ...}.
--
-- Environment (set by load.py):
--   LOAD_TEXT_FILE  the article, already escaped as the inside of a JSON string
--   LOAD_MODE       same: every request has the same body (cache hits, precomputed by wrk)
--                   distinct: every request its own body (misses, flood): the article with the
--                   sentence " Edition <salt>-<thread>-<n>." at the end of its last paragraph
--   LOAD_SALT       makes distinct bodies differ from those of an earlier run
--   LOAD_TRACK      1: write each response's status and Server-Timing to LOAD_OUT.thread<N>
--   LOAD_CLOCK      1 (with LOAD_TRACK): add each response's client latency in ms to its line,
--                   timed from request() to response() as wrk times it (from the request's first
--                   write; a connect is not counted). Exact only with one connection per wrk
--                   thread (load.py runs -t = -c then): the two calls then alternate.
--   LOAD_OUT        where done() writes its JSON summary
local text_file = assert(os.getenv("LOAD_TEXT_FILE"), "LOAD_TEXT_FILE is not set")
local mode = os.getenv("LOAD_MODE") or "same"
local salt = os.getenv("LOAD_SALT") or "0"
local track = os.getenv("LOAD_TRACK") == "1"
local clocked = track and os.getenv("LOAD_CLOCK") == "1"
local out_path = assert(os.getenv("LOAD_OUT"), "LOAD_OUT is not set")

local f = assert(io.open(text_file, "rb"))
local text = f:read("*a")
f:close()

wrk.method = "POST"
wrk.path = os.getenv("LOAD_PATH") or "/v1/summaries"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"' .. text .. '"}'

local now_ms = nil
if clocked then
  local ffi = require("ffi")  -- wrk embeds LuaJIT
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } load_timespec;
    int clock_gettime(int clock_id, load_timespec *tp);
  ]]
  local ts = ffi.new("load_timespec")
  now_ms = function()
    ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
end

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

local started = nil

if mode == "distinct" then
  function request()
    counter = counter + 1
    -- In the last paragraph, as a sentence: a line of its own ("Edition 1-2-3.") is dropped by
    -- preparation as furniture, and every body would then fold into one cache key (one flight).
    local body = '{"text":"' .. text .. ' Edition ' .. salt .. '-' .. tid .. '-' .. counter .. '."}'
    if clocked then started = now_ms() end
    return wrk.format(nil, nil, nil, body)
  end
elseif clocked then
  function request()
    started = now_ms()
    return wrk.format()
  end
end

if track then
  function response(status, headers, body)
    local timing = headers["server-timing"] or headers["Server-Timing"] or ""
    local server = string.match(timing, "dur=([%d%.]+)") or "-"
    if clocked then
      log:write(status, " ", server, " ", string.format("%.3f", now_ms() - started), "\n")
    else
      log:write(status, " ", server, "\n")
    end
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
