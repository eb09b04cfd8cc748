-- wrk script for scripts/bench-search.sh: one search of the directory API per request.
-- Mode (environment variable SEARCH_MODE; wrk's done() runs where init() never did):
--   name   : a name word and the start of a registration number, as someone looking for one
--            organization types it ("habitat 4242"): a few dozen matches of 1 million;
--   word   : one common name word ("habitat"): about a quarter of all actors match;
--   word+filter : a common word within a territory;
--   filter : no text, a legal-form family and a territory: the facet browsing of the home page.
local words = {"Coopérative", "Solidaire", "Community", "Mutual", "Fondation", "Red", "Alliance",
               "Workers", "Habitat", "Énergie", "Agro", "Crédit"}
local families = {"cooperative", "mutual", "association", "foundation", "company", "other"}
local territories = {"CA-QC", "CA-ON", "FR", "ES-PV", "IN-UP", "MX", "ZA-GP", "BR", "KR", "IT", "GB"}
local mode = os.getenv("SEARCH_MODE") or "name"

local function enc(s)
  return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

request = function()
  local path
  if mode == "word" then
    path = "/api/actors?limit=20&q=" .. enc(words[math.random(#words)])
  elseif mode == "word+filter" then
    path = "/api/actors?limit=20&q=" .. enc(words[math.random(#words)]) ..
           "&territory=" .. territories[math.random(#territories)]
  elseif mode == "filter" then
    path = "/api/actors?limit=20&family=" .. families[math.random(#families)] ..
           "&territory=" .. territories[math.random(#territories)]
  else
    path = "/api/actors?limit=20&q=" .. enc(words[math.random(#words)] .. " " .. math.random(1, 99999))
  end
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  io.write(string.format("%s: %d requests, %d errors (status %d, timeout %d), p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    mode, summary.requests, summary.errors.status + summary.errors.timeout + summary.errors.read + summary.errors.connect,
    summary.errors.status, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
