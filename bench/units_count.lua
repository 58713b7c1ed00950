-- wrk: bench/units.lua's writes, counting the answers: how many were acknowledged (201),
-- refused by the bounded queue (503, each with Retry-After) or anything else. With
-- BENCH_RATE and BENCH_CONNS set, each connection waits BENCH_CONNS / BENCH_RATE seconds
-- before each request, so the offered rate is about BENCH_RATE writes/s whatever the
-- answers (an open loop, roughly), instead of as fast as the refusals come back.
local token = os.getenv("BENCH_TOKEN")
local parent = os.getenv("BENCH_PARENT")
local run = os.getenv("BENCH_RUN") or "r"
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
local threads = {}
function setup(thread)
	table.insert(threads, thread)
end
function init()
	n, ok, busy, retry, other = 0, 0, 0, 0, 0
end
local rate = tonumber(os.getenv("BENCH_RATE") or "")
local conns = tonumber(os.getenv("BENCH_CONNS") or "")
if rate and conns then
	function delay()
		return math.floor(1000 * conns / rate)
	end
end
function request()
	n = n + 1
	local body = string.format(
		'{"code":"%s-%d","name":"过载","kind":"centre","level":"county","parent":%s}', run, n, parent)
	return wrk.format("POST", "/api/v1/units", headers, body)
end
function response(status, hdrs, body)
	if status == 201 then
		ok = ok + 1
	elseif status == 503 then
		busy = busy + 1
		if hdrs["Retry-After"] then retry = retry + 1 end
	else
		other = other + 1
	end
end
function done(summary, latency, requests)
	local o, b, r, x = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("ok"); b = b + t:get("busy"); r = r + t:get("retry"); x = x + t:get("other")
	end
	io.write(string.format("COUNTS ok=%d busy=%d retry_after=%d other=%d\n", o, b, r, x))
end
