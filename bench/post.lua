-- wrk script: POST /api/v1/dossiers with a valid reception body.
-- The token comes from the environment (bench/run creates it).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MOTCUA_BENCH_TOKEN")
wrk.body = '{"procedure":"1.000253","channel":"direct","applicant":{"name":"Nguyễn Văn Đo",' ..
           '"id_number":"025090001234","phone":"0912345678"},"summary":"Đo tốc độ"}'
