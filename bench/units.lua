-- wrk: POST /api/v1/units with a new code each time (a durable, audited write).
local token = os.getenv("BENCH_TOKEN")
local parent = os.getenv("BENCH_PARENT")
local run = os.getenv("BENCH_RUN") or "r"
local n = 0
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
request = function()
	n = n + 1
	local body = string.format(
		'{"code":"%s-%d","name":"基准考点","kind":"centre","level":"county","parent":%s}', run, n, parent)
	return wrk.format("POST", "/api/v1/units", headers, body)
end
