-- wrk script of the bench (see wrk.ts): signed Standard Webhooks, each
-- request with its own webhook-id and signature. A signature covers
-- `id.timestamp.body`, so the bench signs the entries beforehand, one file
-- per wrk thread (`<prefix>.<thread>`: "id timestamp signature" per line)
-- and the body once (`<prefix>.body`); a thread hands out its entries in
-- order and never reuses one unless it runs out, which done() counts.
-- done() prints one JSON line: requests, duration, latency, errors, and
-- wrk's own CPU time while it sent (loading the entries left out).
--
-- wrk -s wrk-signed.lua <url> -- <prefix>

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

-- utime + stime of the whole wrk process (every thread), in µs (Linux, 100 ticks a second).
local function cpu_us()
  local file = assert(io.open("/proc/self/stat", "r"))
  local stat = file:read("*l")
  file:close()
  local fields = {}
  for field in stat:match(".*%) (.*)"):gmatch("%S+") do
    fields[#fields + 1] = field
  end
  return (tonumber(fields[12]) + tonumber(fields[13])) * 10000
end

-- Each entry's three header lines, ready to send; the request line and the other headers are the same for all.
local entries = {}
local head, body
count = 0
sent = 0
loaded_cpu_us = 0

function init(args)
  local prefix = args[1]
  local file = assert(io.open(prefix .. ".body", "rb"))
  body = file:read("*a")
  file:close()
  head = "POST " .. wrk.path .. " HTTP/1.1\r\nHost: " .. wrk.headers["Host"] ..
    "\r\nContent-Type: application/json\r\nContent-Length: " .. #body .. "\r\n"
  for line in io.lines(prefix .. "." .. tid) do
    local id, stamp, signature = line:match("^(%S+) (%S+) (%S+)$")
    count = count + 1
    entries[count] = "webhook-id: " .. id .. "\r\nwebhook-timestamp: " .. stamp ..
      "\r\nwebhook-signature: " .. signature .. "\r\n\r\n"
  end
  -- init runs for each thread in turn before any sends: the last one's reading is the whole load.
  loaded_cpu_us = cpu_us()
end

-- One concatenation per request (wrk.format would build a table and format each header).
function request()
  sent = sent + 1
  return head .. entries[(sent - 1) % count + 1] .. body
end

function done(summary, latency, requests)
  local loaded, reuses = 0, 0
  for _, thread in ipairs(threads) do
    loaded = math.max(loaded, thread:get("loaded_cpu_us"))
    reuses = reuses + math.max(0, thread:get("sent") - thread:get("count"))
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"p50Ms":%.3f,"p99Ms":%.3f,"socketErrors":%d,"non2xx":%d,"reused":%d,"cpuUs":%d}\n',
    summary.requests,
    summary.duration,
    latency:percentile(50) / 1000,
    latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout,
    errors.status,
    reuses,
    cpu_us() - loaded
  ))
end
