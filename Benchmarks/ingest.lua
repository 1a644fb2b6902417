-- wrk script for the ingest benchmark: page-view beacons with unique event ids from
-- many visitors (X-Forwarded-For, trusted from loopback), as a busy site would send.
local counter = 0
local site = os.getenv("FOOTFALL_BENCH_SITE") or "s_unknown"
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local prefix = tostring(math.random(1, 1000000000))

request = function()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local body = '{"s":"' .. site .. '","t":"pageview","id":"' .. id .. '","u":"https://acme.test/p'
    .. (counter % 50) .. '","p":"pl' .. id .. '","sw":1920,"sh":1080,"vw":1280,"vh":720,"l":"en-GB"}'
  return wrk.format("POST", "/e", {
    ["Content-Type"] = "text/plain",
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    ["X-Forwarded-For"] = "10." .. (counter % 250) .. "." .. (math.floor(counter / 250) % 250) .. ".1",
  }, body)
end
