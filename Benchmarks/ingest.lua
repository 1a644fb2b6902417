-- wrk script for the ingest benchmark: visits as a busy site's tracker sends them, from
-- Fixtures/. Each wrk thread plays 10,000 visitors in turn (X-Forwarded-For, trusted from
-- loopback; each with one browser User-Agent from Fixtures/UserAgents). A visit lands on a
-- page from Fixtures/Referrers with that row's referrer (search, social, campaign, direct…),
-- then moves to other pages of the site (core pages and 200 articles), the previous page
-- being the referrer; each page view is followed, for its own page load, by an engagement
-- beacon (45%) and a click (25%). After its last page (1–6 pages, 2.45 on average, 40%
-- bounce) the visitor leaves and a new one (a new address) takes its turn. Event ids are
-- shaped like the tracker's: send time in base 36, then a unique part (19 characters); page
-- load ids are 11 characters.
local site = os.getenv("FOOTFALL_BENCH_SITE") or "s_unknown"
local visitorsPerThread = 10000
local counter = 0
thread_number = 0  -- a global: setup() sets it in each thread's state

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
-- Landing page URL and referrer.
local landings = lines("Fixtures/Referrers/referrers.tsv", function(f) return { url = f[1], referrer = f[2] } end)
-- The site's other pages, where visits go on to: a few core pages and 200 articles.
local pages = { "/", "/pricing", "/contact", "/about", "/signup", "/customers", "/integrations" }
local sections = { "blog", "docs", "features", "customers", "careers" }
for n = 1, 200 do pages[#pages + 1] = "/" .. sections[n % #sections + 1] .. "/article-" .. n end
local targets = { "a#signup", "button.buy", "a[href$=pdf]", "nav a", "form#contact button" }

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local digits = "0123456789abcdefghijklmnopqrstuvwxyz"
local function base36(n, width)
  local text = ""
  repeat
    local d = n % 36
    text = digits:sub(d + 1, d + 1) .. text
    n = math.floor(n / 36)
  until n == 0
  return string.rep("0", (width or 0) - #text) .. text
end

-- FOOTFALL_BENCH_DELAY_MS paces every connection (wrk's delay hook, ms between a response
-- and the next request): how ingest.sh holds the load at half of the measured maximum. The
-- pauses are exponentially distributed with that mean, so connections send independently, as
-- visitors do; equal pauses kept all 128 connections in step, each burst queueing behind
-- itself (p50 8.0 / p99 24.3 ms against 1.7–2.0 / 9.0–11.3 ms at the same mean rate).
local pace = tonumber(os.getenv("FOOTFALL_BENCH_DELAY_MS") or "")
if pace then delay = function() return math.floor(-pace * math.log(1 - math.random()) + 0.5) end end

local visitors = {}
local tag  -- 5 base-36 characters unique to this thread and run

init = function()
  math.randomseed(os.time() * 1000 + thread_number)
  tag = base36(math.random(0, 36 ^ 5 - 1), 5)
end

-- 1–6 pages, 40% bounce, 2.4 pages on average.
local function plannedPages()
  local draw = math.random()
  if draw < 0.4 then return 1 elseif draw < 0.6 then return 2 elseif draw < 0.75 then return 3
  elseif draw < 0.85 then return 4 elseif draw < 0.95 then return 5 else return 6 end
end

local function newVisitor(slot, generation)
  -- 10.<thread, generation>.<slot>: a new address per visitor, so each is a new visitor id.
  local second = (thread_number * 64 + generation % 64) % 256
  return {
    generation = generation, pagesLeft = plannedPages(), steps = {}, loadID = nil, url = nil,
    ip = "10." .. second .. "." .. math.floor(slot / 250) .. "." .. (slot % 250 + 1),
    agent = agents[math.random(#agents)],
  }
end

-- The beacons of the next page view: the view, then its engagement and click (at random).
local function planPage(visitor)
  visitor.pagesLeft = visitor.pagesLeft - 1
  local steps = { "pageview" }
  if math.random() < 0.45 then steps[#steps + 1] = "engagement" end
  if math.random() < 0.25 then steps[#steps + 1] = "click" end
  visitor.steps = steps
end

request = function()
  counter = counter + 1
  local slot = counter % visitorsPerThread
  local visitor = visitors[slot]
  if visitor == nil or (#visitor.steps == 0 and visitor.pagesLeft == 0) then
    visitor = newVisitor(slot, visitor and visitor.generation + 1 or 0)
    visitors[slot] = visitor
  end
  if #visitor.steps == 0 then planPage(visitor) end
  local kind = table.remove(visitor.steps, 1)
  local id = base36(os.time() * 1000 + counter % 1000, 8) .. tag .. base36(counter, 6)
  local body
  if kind == "pageview" then
    local url, referrer
    if visitor.url == nil then
      local landing = landings[math.random(#landings)]
      url, referrer = landing.url, landing.referrer
    else
      url, referrer = "https://acme.com" .. pages[math.random(#pages)], visitor.url
    end
    visitor.url = url
    visitor.loadID = tag .. base36(counter, 6)
    body = '{"s":"' .. site .. '","t":"pageview","id":"' .. id .. '","u":"' .. url .. '","r":"' .. referrer
      .. '","p":"' .. visitor.loadID .. '","sw":1920,"sh":1080,"vw":1280,"vh":720,"l":"en-GB","tz":"Europe/London"}'
  elseif kind == "engagement" then
    body = '{"s":"' .. site .. '","t":"engagement","id":"' .. id .. '","u":"' .. visitor.url .. '","p":"' .. visitor.loadID
      .. '","e":' .. math.random(1000, 60000) .. ',"sc":' .. math.random(0, 100) .. '}'
  else
    body = '{"s":"' .. site .. '","t":"click","id":"' .. id .. '","u":"' .. visitor.url .. '","p":"' .. visitor.loadID
      .. '","ct":"' .. targets[math.random(#targets)] .. '"}'
  end
  return wrk.format("POST", "/e", {
    ["Content-Type"] = "text/plain",
    ["User-Agent"] = visitor.agent,
    ["X-Forwarded-For"] = visitor.ip,
  }, body)
end
