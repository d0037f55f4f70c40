-- wrk script: POST a KServe V1 body with a rotating user id
wrk.method = "POST"
wrk.body = '{"instances":[{"amount":120.5,"merchant_risk":0.31,"hour":23,"country":"BR"}]}'
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  wrk.headers["X-User-Id"] = "user-" .. (n % 100000)
  return wrk.format()
end
