-- wrk script: GET with a bearer token from the environment.
wrk.headers["Authorization"] = "Bearer " .. os.getenv("MOTCUA_BENCH_TOKEN")
