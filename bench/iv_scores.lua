-- wrk: examiners' score submissions, POST /api/v1/interview_panels/{id}/orders/{no}/scores
-- (INT-3, INT-4), each request a distinct (examiner, order number) pair with the examiner's
-- own session: BENCH_REQUESTS holds one "token TAB path TAB body TAB label" line a submission
-- (bench/gen_interview.py scores), sent in file order — a day's panels together, order 1 by
-- each panel's 7 examiners, then order 2, … Every pair is new, so every answer should be 200;
-- were the file used up, the last line would be sent again and refused (409), which wrk's
-- "Non-2xx or 3xx responses" shows and bench/b_interview.sh fails on. BENCH_FIRST: how many
-- lines an earlier run sent (it starts after them). At the end it prints "sent N": how many
-- lines it handed to wrk (answered or still in flight when wrk stopped).
--
-- The requests are made whole in init(), before wrk starts its clock (as bench/lookup.lua).
local file = os.getenv("BENCH_REQUESTS")
local first = tonumber(os.getenv("BENCH_FIRST") or "0")
local reqs, n = {}, 0
local threads = {}
sent = 0

setup = function(thread)
	table.insert(threads, thread)
end

init = function()
	local head = " HTTP/1.1\r\nHost: " .. wrk.headers["Host"] .. "\r\nAuthorization: Bearer "
	local f = assert(io.open(file, "rb"))
	for line in f:lines() do
		local tok, path, body = line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)")
		n = n + 1
		reqs[n] = "POST " .. path .. head .. tok
			.. "\r\nContent-Type: application/json\r\nContent-Length: " .. #body .. "\r\n\r\n" .. body
	end
	f:close()
	assert(n > first, "no submissions left in " .. file)
	collectgarbage()
end

request = function()
	if first + sent < n then
		sent = sent + 1
	end
	return reqs[first + sent]
end

done = function()
	local total = 0
	for _, t in ipairs(threads) do
		total = total + t:get("sent")
	end
	io.write(string.format("sent %d\n", total))
end
