-- wrk script for the ingest benchmark: a realistic beacon mix from Fixtures/ — page views
-- (pages and referrers from Fixtures/Referrers), engagement and click beacons, from many
-- visitors (X-Forwarded-For, trusted from loopback) each with a browser User-Agent from
-- Fixtures/UserAgents — with unique event ids, as a busy site would send.
local counter = 0
local site = os.getenv("FOOTFALL_BENCH_SITE") or "s_unknown"
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local prefix = tostring(math.random(1, 1000000000))

local function lines(path, keep)
  local rows = {}
  for line in io.lines(path) do
    if line:sub(1, 1) ~= "#" then
      local fields = {}
      for field in (line .. "\t"):gmatch("([^\t]*)\t") do fields[#fields + 1] = field end
      local row = keep(fields)
      if row then rows[#rows + 1] = row end
    end
  end
  return rows
end

-- Browsers only (column 7 is the bot flag; column 8 the User-Agent).
local agents = lines("Fixtures/UserAgents/corpus.tsv", function(f) if f[7] == "0" then return f[8] end end)
-- Page URL and referrer.
local pages = lines("Fixtures/Referrers/referrers.tsv", function(f) return { url = f[1], referrer = f[2] } end)
local targets = { "a#signup", "button.buy", "a[href$=pdf]", "nav a", "form#contact button" }

-- FOOTFALL_BENCH_DELAY_MS paces every connection (wrk's delay hook, ms between a response
-- and the next request): how ingest.sh holds the load at half of the measured maximum. The
-- pauses are exponentially distributed with that mean, so connections send independently, as
-- visitors do; equal pauses kept all 128 connections in step, each burst queueing behind
-- itself (p50 8.0 / p99 24.3 ms against 1.7–2.0 / 9.0–11.3 ms at the same mean rate).
local pace = tonumber(os.getenv("FOOTFALL_BENCH_DELAY_MS") or "")
if pace then delay = function() return math.floor(-pace * math.log(1 - math.random()) + 0.5) end end

request = function()
  counter = counter + 1
  local id = prefix .. "-" .. counter
  local visitor = counter % 20000
  local page = pages[(counter * 7919) % #pages + 1]
  local kind = counter % 20
  local body
  if kind < 12 then
    body = '{"s":"' .. site .. '","t":"pageview","id":"' .. id .. '","u":"' .. page.url .. '","r":"' .. page.referrer
      .. '","p":"pl' .. id .. '","sw":1920,"sh":1080,"vw":1280,"vh":720,"l":"en-GB","tz":"Europe/London"}'
  elseif kind < 17 then
    body = '{"s":"' .. site .. '","t":"engagement","id":"' .. id .. '","u":"' .. page.url .. '","p":"pl' .. prefix .. "-"
      .. (counter - kind) .. '","e":' .. (1000 + counter % 60000) .. ',"sc":' .. (counter % 101) .. '}'
  else
    body = '{"s":"' .. site .. '","t":"click","id":"' .. id .. '","u":"' .. page.url .. '","p":"pl' .. prefix .. "-"
      .. (counter - kind) .. '","ct":"' .. targets[counter % #targets + 1] .. '"}'
  end
  return wrk.format("POST", "/e", {
    ["Content-Type"] = "text/plain",
    ["User-Agent"] = agents[(visitor * 31) % #agents + 1],
    ["X-Forwarded-For"] = "10." .. (visitor % 250) .. "." .. (math.floor(visitor / 250) % 250) .. ".1",
  }, body)
end
