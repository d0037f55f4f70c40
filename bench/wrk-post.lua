-- wrk script: POST bench/request.json (~400 bytes, KServe V1, 3 instances) with 10,000
-- distinct x-user-id values in rotation (run from the repository root)
local f = assert(io.open("bench/request.json", "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  wrk.headers["X-User-Id"] = "user-" .. (n % 10000)
  return wrk.format()
end
