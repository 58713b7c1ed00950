-- wrk: proctors' check-ins at the door, POST /api/v1/exams/{id}/sittings/01/checkins with the
-- ticket's signed QR payload (DAY-2: the signature verified under the ticket key), each
-- request a different candidate, with the session of the proctor drawn for that candidate's
-- exam room. BENCH_REQUESTS: one "user id TAB path TAB body" line a candidate
-- (bench/gen_checkin.py requests), sent in file order; BENCH_TOKENS: "user id TAB token"
-- lines. Every candidate is new, so every answer should be 201; were the file used up, the
-- last line would be sent again and answered 200 ("repeated"), which the counts show. At the
-- end it prints "sent N" (lines handed to wrk), "status 201 N" and the other statuses: the
-- figures b_checkin.sh checks against the database.
--
-- The requests are made whole in init(), before wrk starts its clock (as bench/lookup.lua).
local file = os.getenv("BENCH_REQUESTS")
local tfile = os.getenv("BENCH_TOKENS")
local reqs, n = {}, 0
local threads = {}
sent = 0
codes = {}

setup = function(thread)
	table.insert(threads, thread)
end

init = function()
	local tok = {}
	for line in io.lines(tfile) do
		local u, t = line:match("^([^\t]+)\t([^\t]+)")
		tok[u] = t
	end
	local head = " HTTP/1.1\r\nHost: " .. wrk.headers["Host"] .. "\r\nAuthorization: Bearer "
	for line in io.lines(file) do
		local u, path, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)")
		n = n + 1
		reqs[n] = "POST " .. path .. head .. assert(tok[u], "no token for user " .. u)
			.. "\r\nContent-Type: application/json\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
	end
	assert(n > 0, "no check-ins in " .. file)
	collectgarbage()
end

request = function()
	if sent < n then
		sent = sent + 1
	end
	return reqs[sent]
end

response = function(status, headers, body)
	codes[status] = (codes[status] or 0) + 1
end

done = function()
	local total, by = 0, {}
	for _, t in ipairs(threads) do
		total = total + t:get("sent")
		for k, v in pairs(t:get("codes")) do
			by[k] = (by[k] or 0) + v
		end
	end
	io.write(string.format("sent %d\n", total))
	for k, v in pairs(by) do
		io.write(string.format("status %d %d\n", k, v))
	end
end
