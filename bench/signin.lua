-- wrk script for bench/signin.py: each request carries another user's login session cookie and
-- CSRF token and the pass its sign-in page gave it. Arguments: the credentials file
-- ("sessionid csrftoken pass" per line), the thread count, the line to start at (so that a
-- later round signs in people who have not signed in yet).
local next_id = 0
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

local creds = {}
local i, step = 0, 1
function init(args)
  for line in io.lines(args[1]) do
    local sid, csrf, pass = line:match("(%S+) (%S+) (%S+)")
    creds[#creds + 1] = { sid, csrf, pass }
  end
  step = tonumber(args[2]) or 1
  i = (id or 0) + (tonumber(args[3]) or 0)
end

function request()
  local c = creds[(i % #creds) + 1]
  i = i + step
  return wrk.format("POST", wrk.path, {
    ["Cookie"] = "sessionid=" .. c[1] .. "; csrftoken=" .. c[2],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrfmiddlewaretoken=" .. c[2] .. "&pass=" .. c[3])
end
