-- wrk: POST /api/v1/public/exams/{BENCH_EXAM}/score_lookup, each request a candidate drawn at
-- random from BENCH_BODIES (one JSON body {"ticket_no","id_number","name"} a line, each a
-- published candidate's right triple: bench/b_lookup.sh writes it), as candidates do on
-- publication day. Every triple is right, so every answer should be 200; wrk's "Non-2xx or 3xx
-- responses" counts the others (404 no match, 429 rate-limited), which the calling script
-- checks.
--
-- The requests are made whole in init(), once per wrk thread, before wrk starts its clock, so
-- that request() allocates nothing: neither wrk.format's work nor the collector walking a heap
-- of a million strings is added to what wrk measures (with wrk.format per request, a probe of
-- its own saw a p99 of ~15 ms from the server while wrk reported several hundred).
--
-- BENCH_PATH, when set, is posted to instead (bench/b_certs.sh: certificate verifications).
local exam = os.getenv("BENCH_EXAM")
local file = os.getenv("BENCH_BODIES")
local path = os.getenv("BENCH_PATH") or ("/api/v1/public/exams/" .. exam .. "/score_lookup")
local reqs, n = {}, 0

init = function()
	local head = "POST " .. path .. " HTTP/1.1\r\nHost: "
		.. wrk.headers["Host"] .. "\r\nContent-Type: application/json\r\nContent-Length: "
	local f = assert(io.open(file, "rb"))
	local all = f:read("*a")
	f:close()
	for line in all:gmatch("[^\n]+") do
		n = n + 1
		reqs[n] = head .. #line .. "\r\n\r\n" .. line
	end
	all = nil
	collectgarbage()
	assert(n > 0, "no bodies in " .. file)
	-- each thread its own sequence
	math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 1000003)
end

request = function()
	return reqs[math.random(n)]
end
