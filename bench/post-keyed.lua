-- wrk script: POST /api/v1/dossiers as the web UI sends it, with a fresh
-- Idempotency-Key per request (the key is recorded in the same transaction).
-- Keys must be unique across wrk's threads and runs, or repeats would be
-- answered as replays (no write) and flatter the figure.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MOTCUA_BENCH_TOKEN")
wrk.body = '{"procedure":"1.000253","channel":"direct","applicant":{"name":"Nguyễn Văn Đo",' ..
           '"id_number":"025090001234","phone":"0912345678"},"summary":"Đo tốc độ có khoá"}'

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local n, tag = 0, ""
function init(args)
  tag = string.format("%d-%d", os.time(), tid)
end

function request()
  n = n + 1
  wrk.headers["Idempotency-Key"] = "bench-" .. tag .. "-" .. n
  return wrk.format()
end

function response(status, headers, body)
  if headers["Idempotent-Replayed"] then
    error("a bench key was replayed: keys are not unique")
  end
end
