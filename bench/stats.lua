-- wrk: GET the public figures of an exam, paced to BENCH_RATE requests/s in all
-- (each connection waits connections/rate seconds between its requests).
local rate = tonumber(os.getenv("BENCH_RATE") or "10000")
local conns = tonumber(os.getenv("BENCH_CONNS") or "20")
local path = os.getenv("BENCH_PATH")
request = function()
	return wrk.format("GET", path)
end
delay = function()
	return 1000 * conns / rate
end
