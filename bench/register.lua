-- wrk: POST /api/v1/registrations, each request a new candidate (ids from BENCH_FIRST on),
-- entered on site by staff (REG-1): window, pledge, eligibility, ban check, a durable
-- audited write acknowledged after the group commit is on disk.
local token = os.getenv("BENCH_TOKEN")
local exam = os.getenv("BENCH_EXAM")
local positions = tonumber(os.getenv("BENCH_POSITIONS"))
local first = tonumber(os.getenv("BENCH_FIRST"))
local pos0 = tonumber(os.getenv("BENCH_POS0"))
local n = 0
local headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
request = function()
	local c = first + n
	n = n + 1
	local body = string.format(
		'{"exam_id":%s,"position_id":%d,"route":"pledge","pledge_version":"AH-2026.1","pledge_accepted":true,"candidate_id":%d}',
		exam, pos0 + (c % positions), c)
	return wrk.format("POST", "/api/v1/registrations", headers, body)
end
